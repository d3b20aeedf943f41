import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountHygieneFindings } from '../../src/core/account-hygiene.js';
import type { AccountSnapshot } from '../../src/core/model.js';

const NOW = new Date('2026-12-01T00:00:00Z');

function account(over: Partial<AccountSnapshot>, consoleUsers = 2): AccountSnapshot {
  return {
    accountId: '222222222222',
    name: 'prod',
    alias: null,
    status: 'ok',
    users: Array.from({ length: consoleUsers }, (_, i) => ({ consoleEnabled: true, userName: `u${i}` })),
    groups: [],
    policies: [],
    roles: [],
    samlProviders: [],
    root: { mfaActive: true, accessKeysPresent: false, accessKeys: [], passwordLastUsed: '2025-01-01T00:00:00Z' },
    ...over,
  } as AccountSnapshot;
}

const kinds = (a: AccountSnapshot) => accountHygieneFindings(a, NOW).map((f) => `${f.kind}: ${f.message}`);

describe('account hygiene findings', () => {
  it('names a missing policy only while console passwords remain, and nothing when the policy was not read', () => {
    assert.deepEqual(kinds(account({ passwordPolicy: null })), [
      'no-password-policy: 222222222222 has no account password policy while 2 IAM users have console passwords',
    ]);
    assert.deepEqual(kinds(account({ passwordPolicy: null }, 0)), []);
    assert.deepEqual(kinds(account({})), []);
  });

  it('names each weakness of a policy (length, reuse, expiry) and accepts the CIS-strength one', () => {
    assert.deepEqual(
      kinds(account({ passwordPolicy: { minimumLength: 8, reusePrevention: null, maxAgeDays: null } })),
      [
        "weak-password-policy: 222222222222's password policy is weak (minimum length 8 (< 14); old passwords may be reused; passwords never expire) while 2 IAM users have console passwords",
      ],
    );
    assert.deepEqual(
      kinds(account({ passwordPolicy: { minimumLength: 14, reusePrevention: 5, maxAgeDays: 365 } })).length,
      1,
    );
    assert.deepEqual(
      kinds(account({ passwordPolicy: { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 } })),
      [],
    );
  });

  it('names a root password used within 90 days', () => {
    const root = {
      mfaActive: true,
      accessKeysPresent: false,
      accessKeys: [],
      passwordLastUsed: '2026-11-20T10:00:00Z',
    };
    assert.deepEqual(kinds(account({ root }, 0)), [
      'root-password-used-recently: root user of 222222222222 signed in with its password on 2026-11-20',
    ]);
  });
});
