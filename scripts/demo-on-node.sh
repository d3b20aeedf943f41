#!/usr/bin/env bash
# Runs `iam2sso demo` under another Node major (npm's `node` package: `npx -p node@22`), from a temporary copy of
# the built CLI whose node_modules links to this project's, except better-sqlite3: its binary is built for the
# Node ABI it was installed with, so the copy gets one for the requested Node (prebuilt download, else a node-gyp
# build), cached per version and ABI. DuckDB's binding is Node-API and loads on every Node. Fails when the demo fails.
# Usage: scripts/demo-on-node.sh 22
set -euo pipefail
major="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
node_n() { npx -y -p "node@$major" -c "$*"; }
tmp="$(mktemp -d)"
mkdir -p "$tmp/app/node_modules" "$tmp/run"
cp -r "$root/bin" "$root/dist" "$root/package.json" "$tmp/app/"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  [ "$(basename "$entry")" = better-sqlite3 ] || ln -s "$(readlink -f "$entry")" "$tmp/app/node_modules/"
done
sqlite="$tmp/app/node_modules/better-sqlite3"
cp -rL "$root/node_modules/better-sqlite3" "$sqlite" && rm -rf "$sqlite/build"
abi=$(node_n 'node -p process.versions.modules')
version=$(node -p "require('$root/node_modules/better-sqlite3/package.json').version")
cached="${XDG_CACHE_HOME:-$HOME/.cache}/iam2sso-ci/better-sqlite3-$version-abi$abi.node"
started=$(date +%s)
if [ ! -f "$cached" ]; then
  # The prebuilt binary comes from github.com; a build needs this Node's headers (nodejs.org), never a configured
  # `nodedir`, which holds the headers of the Node the project was installed with.
  if ! npm_config_nodedir='' node_n "cd '$sqlite' && (prebuild-install || node-gyp rebuild --release)" \
    >"$tmp/rebuild.log" 2>&1 ||
    ! node_n "node -e \"new (require('$sqlite'))(':memory:')\"" >>"$tmp/rebuild.log" 2>&1; then
    tail -5 "$tmp/rebuild.log" >&2
    echo "Node $major: no better-sqlite3 binary for ABI $abi (neither the prebuilt download nor a build worked)" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$cached")" && cp "$sqlite/build/Release/better_sqlite3.node" "$cached"
fi
mkdir -p "$sqlite/build/Release" && cp "$cached" "$sqlite/build/Release/better_sqlite3.node"
echo "Node $major: better-sqlite3 for ABI $abi ready in $(($(date +%s) - started)) s"
cd "$tmp/run"
if ! node_n "node '$tmp/app/bin/iam2sso.js' demo --dir '$tmp/run/demo'" >"$tmp/demo.log" 2>&1; then
  tail -30 "$tmp/demo.log" >&2
  echo "Node $major: the demo FAILED (files kept in $tmp)" >&2
  exit 1
fi
rm -rf "$tmp"
echo "Node $major: the demo passed ($(($(date +%s) - started)) s in all)"
