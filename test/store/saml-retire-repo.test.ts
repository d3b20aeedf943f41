import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStateDb } from '../../src/store/db.js';
import { loadSamlStages, samlSnapshots, saveSamlSnapshot, saveSamlStage } from '../../src/store/saml-retire-repo.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-saml-retire-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('retiring direct SAML: the state database', () => {
  it('keeps one stage per (account, role), moves it on, and forgets it when rolled back to active', async () => {
    const db = await openStateDb(join(dir, 'stages.db'));
    const role = { accountId: '111111111111', role: 'Entra-Admin' };
    saveSamlStage(db, { ...role, stage: 'disabled', enteredAt: '2026-01-01T00:00:00.000Z' }, 'run-1');
    saveSamlStage(db, { ...role, stage: 'deleted', enteredAt: '2026-02-01T00:00:00.000Z' }, 'run-2');
    assert.deepEqual(loadSamlStages(db).get('111111111111/Entra-Admin'), {
      ...role,
      stage: 'deleted',
      enteredAt: '2026-02-01T00:00:00.000Z',
    });
    saveSamlStage(db, { ...role, stage: 'active', enteredAt: '2026-02-02T00:00:00.000Z' }, 'run-3');
    assert.equal(loadSamlStages(db).size, 0);
    db.close();
  });

  it('keeps the first snapshot of an object in a run (a resumed run does not overwrite what was read before)', async () => {
    const db = await openStateDb(join(dir, 'snapshots.db'));
    const arn = 'arn:aws:iam::111111111111:saml-provider/EntraID';
    saveSamlSnapshot(db, 'run-1', 'provider', arn, '2026-01-01T00:00:00.000Z', { metadata: '<first/>', tags: [] });
    saveSamlSnapshot(db, 'run-1', 'provider', arn, '2026-01-01T00:05:00.000Z', { metadata: '<second/>', tags: [] });
    assert.deepEqual(samlSnapshots(db, 'run-1'), [
      { kind: 'provider', key: arn, snapshot: { metadata: '<first/>', tags: [] } },
    ]);
    db.close();
  });
});
