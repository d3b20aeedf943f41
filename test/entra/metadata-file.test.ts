import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { restoreFile, writeFileAtomic } from '../../src/entra/metadata-file.js';

describe('the federation metadata file is written whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-metadata-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file in one rename and leaves no temporary file behind', async () => {
    const path = join(dir, 'sub', 'federation.xml');
    await writeFileAtomic(path, '<one/>');
    await writeFileAtomic(path, '<two/>');
    assert.equal(readFileSync(path, 'utf8'), '<two/>');
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['federation.xml']);
  });

  it('puts a file back as it was, or removes it when there was none', async () => {
    const path = join(dir, 'restore.xml');
    writeFileSync(path, '<new/>');
    await restoreFile(path, '<old/>');
    assert.equal(readFileSync(path, 'utf8'), '<old/>');
    await restoreFile(path, null);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('restore') || f.startsWith('.restore')),
      [],
    );
    await restoreFile(path, null);
  });
});
