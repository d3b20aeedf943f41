#!/usr/bin/env bash
# Runs the built `iam2sso demo` under another Node major (npm's `node` package: `npx -p node@22`) in a temporary
# directory, and fails when the demo fails. The native modules were installed for the Node that ran `npm ci`:
# DuckDB's binding is Node-API and loads on every Node; better-sqlite3's is not, and the state database then
# opens through Node's built-in SQLite (src/store/node-sqlite.ts).
# Usage: scripts/demo-on-node.sh 22
set -euo pipefail
major="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
started=$(date +%s)
# The demo exits 0 when some of its steps ran; CI wants every step (audit, report, plan, apply, sync) to pass.
if ! (cd "$tmp" && npx -y -p "node@$major" node "$root/bin/iam2sso.js" demo --json --no-progress --dir demo) \
  >"$tmp/summary.json" 2>"$tmp/demo.log" ||
  ! node -e 'const s = require(process.argv[1]); if (!s.steps.length || s.steps.some((x) => !x.ok)) process.exit(1)' \
    "$tmp/summary.json"; then
  tail -30 "$tmp/demo.log" >&2
  echo "Node $major: the demo FAILED (files kept in $tmp)" >&2
  exit 1
fi
rm -rf "$tmp"
echo "Node $major: the demo passed in $(($(date +%s) - started)) s"
