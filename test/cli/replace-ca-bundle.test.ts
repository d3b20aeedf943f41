import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readCaBundle } from '../../src/cli/replace-rolesanywhere.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/rolesanywhere/${name}`, import.meta.url)), 'utf8');

describe('--ca-bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-ca-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('keeps the PEM certificates of a CA bundle, dropping what is around them', () => {
    const ca = fixture('ca.pem').trim();
    assert.equal(readCaBundle(file('ok.pem', `# our CA\n${ca}\n`)), `${ca}\n`);
  });

  it('names the file, and the line of a bad certificate, when the bundle cannot be a trust anchor', () => {
    assert.throws(() => readCaBundle(join(dir, 'none.pem')), /--ca-bundle .*none\.pem: no such file/);
    assert.throws(() => readCaBundle(file('empty.pem', 'hello')), /empty\.pem: no PEM certificate/);
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    assert.throws(
      () => readCaBundle(file('broken.pem', `${fixture('ca.pem')}${broken}`)),
      /broken\.pem: line 12: certificate 2 is not valid/,
    );
    assert.throws(
      () => readCaBundle(file('leaf.pem', fixture('leaf.pem'))),
      /leaf\.pem: line 1: certificate 1 \(CN=iam2sso test leaf\) is not a CA certificate/,
    );
  });
});
