#!/usr/bin/env node
// Entry point installed as `iam2sso`. Runs the compiled CLI from dist/, built by `npm ci` (prepare).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(compiled)) {
  console.error('iam2sso: dist/ is missing; run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
const { runMain } = await import(pathToFileURL(compiled).href);
await runMain(process.argv.slice(2));
