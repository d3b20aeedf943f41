#!/usr/bin/env node
// Fails when an installed production dependency is under a copyleft license (GPL, LGPL, AGPL, SSPL, EUPL,
// MPL, CDDL, EPL, OSL) or declares none. The project is Apache-2.0. Usage: node scripts/check-licenses.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const COPYLEFT = /\b(A?GPL|LGPL|SSPL|EUPL|MPL|CDDL|EPL|OSL|CC-BY-SA)\b/i;
const tree = JSON.parse(
  execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);

function licenseOf(dep) {
  let value = dep.license;
  if (!value && dep.path) {
    try {
      value = JSON.parse(readFileSync(join(dep.path, 'package.json'), 'utf8')).license;
    } catch {
      value = undefined;
    }
  }
  if (value && typeof value === 'object') value = value.type;
  return value ?? 'UNKNOWN';
}

// Packages whose package.json omits the license but whose source states one, reviewed by hand.
const REVIEWED = new Map([
  // exceljs -> unzipper -> binary -> buffers: MIT/X11 in its repository (substack/node-buffers).
  ['buffers@0.1.1', 'MIT'],
]);

const seen = new Map();
(function walk(deps) {
  for (const [name, dep] of Object.entries(deps ?? {})) {
    // An optional package for another platform (DuckDB's darwin or win32 bindings) is listed but not installed.
    if (dep.version === undefined && !dep.path) continue;
    const key = `${name}@${dep.version}`;
    if (seen.has(key)) continue;
    seen.set(key, REVIEWED.get(key) ?? licenseOf(dep));
    walk(dep.dependencies);
  }
})(tree.dependencies);

// "(MIT OR GPL-3.0)" lets us choose the permissive side; only a license with no permissive choice counts.
const refused = [...seen].filter(([, license]) => {
  if (license === 'UNKNOWN') return true;
  const choices = license.replace(/[()]/g, '').split(/\s+OR\s+/i);
  return choices.every((c) => COPYLEFT.test(c));
});
if (refused.length > 0) {
  console.error('dependencies under a copyleft or unknown license:');
  for (const [key, license] of refused) console.error(`  ${key}: ${license}`);
  process.exit(1);
}
console.log(`licenses: ${seen.size} production packages, none copyleft`);
