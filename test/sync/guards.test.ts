import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncDiff, SyncLink } from '../../src/core/sync/types.js';
import type { SyncStateRecord } from '../../src/store/sync-repo.js';
import { refuseEmptySource, refuseMassLeave } from '../../src/sync/guards.js';
import { emptyMirror } from '../../src/sync/mirror.js';

const links = (n: number): SyncLink[] =>
  Array.from({ length: n }, (_, i) => ({ entraId: `u${i}`, kind: 'user', targetId: `s${i}`, origin: 'created' }));
const prior = (n: number) => ({ links: links(n) }) as unknown as SyncStateRecord;
const leaving = (n: number) =>
  ({
    users: {
      create: [],
      update: [],
      deactivate: [],
      delete: Array.from({ length: n }, (_, i) => ({
        entraId: `u${i}`,
        userId: `s${i}`,
        userName: `u${i}`,
        reason: 'deleted',
      })),
      unchanged: 0,
    },
    groups: { create: [], update: [], delete: [], unchanged: 0 },
  }) as unknown as SyncDiff;

describe('sync guards', () => {
  it('refuses an empty full read of Entra while users are linked, and allows it on a first run', () => {
    assert.throws(() => refuseEmptySource(prior(3), emptyMirror(), true), /Entra returned no users on a full read/);
    assert.doesNotThrow(() => refuseEmptySource(null, emptyMirror(), true));
    assert.doesNotThrow(() => refuseEmptySource(prior(3), emptyMirror(), false), 'an incremental round may be empty');
  });

  it('refuses more leavers than max(5, 10%) of the linked users unless allowed', () => {
    assert.doesNotThrow(() => refuseMassLeave(leaving(5), prior(20), false));
    assert.throws(() => refuseMassLeave(leaving(6), prior(20), false), /refusing to delete or deactivate 6 users/);
    assert.throws(() => refuseMassLeave(leaving(21), prior(200), false), /--allow-mass-delete/);
    assert.doesNotThrow(() => refuseMassLeave(leaving(21), prior(200), true));
  });
});
