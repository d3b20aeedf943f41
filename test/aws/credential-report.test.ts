import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCredentialReport, reportCell } from '../../src/aws/iam-credential-report.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

describe('credential report placeholders', () => {
  it('reads N/A, not_supported, no_information and empty cells as unknown with the reason, never as a value', () => {
    assert.deepEqual(reportCell('N/A'), { known: false, why: 'N/A' });
    assert.deepEqual(reportCell('not_supported'), { known: false, why: 'not_supported' });
    assert.deepEqual(reportCell('no_information'), { known: false, why: 'no_information' });
    assert.deepEqual(reportCell(''), { known: false, why: 'empty' });
    assert.deepEqual(reportCell(undefined), { known: false, why: 'empty' });
    assert.deepEqual(reportCell('s3'), { known: true, value: 's3' });
  });

  it('leaves a key whose last-used service is not_supported with no service (never a service named not_supported)', () => {
    const csv = [
      HEADER,
      'ci-bot,arn:aws:iam::123456789012:user/ci-bot,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,' +
        'true,2024-01-02T00:00:00+00:00,2024-05-01T00:00:00+00:00,not_supported,not_supported,' +
        'true,2024-01-03T00:00:00+00:00,no_information,no_information,no_information,false,N/A,false,N/A',
      '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,' +
        'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    ].join('\n');
    const report = parseCredentialReport(csv);
    const row = report.users.get('ci-bot')!;
    assert.deepEqual(
      row.keys.map((k) => [k.slot, k.lastUsedAt, k.lastUsedService, k.lastUsedRegion]),
      [
        [1, '2024-05-01T00:00:00.000Z', null, null],
        [2, null, null, null],
      ],
    );
    assert.equal(row.passwordLastUsed, null);
    assert.equal(report.root?.passwordEnabled, true);
    assert.equal(report.root?.passwordLastChanged, null);
  });
});
