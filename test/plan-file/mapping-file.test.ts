import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMappingCsv } from '../../src/plan-file/mapping-file.js';

describe('identity mapping CSV', () => {
  it('reads rows after a header, skipping comments and blank lines, with quoted fields', () => {
    const text = [
      'account,user,upn',
      '# people whose IAM names differ from their UPN',
      '',
      '123456789012,jsmith,john.smith@example.com',
      '"*", "ana, ops" , "ana.ops@example.com"',
    ].join('\n');
    const { entries, problems } = parseMappingCsv(text, 'people.csv');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      entries.map((e) => [e.accountId, e.userName, e.upn, e.line]),
      [
        ['123456789012', 'jsmith', 'john.smith@example.com', 4],
        ['*', 'ana, ops', 'ana.ops@example.com', 5],
      ],
    );
  });

  it('reports every bad row with its line', () => {
    const text = [
      '123456789012,jsmith,john.smith@example.com',
      '12345,bo,bo@example.com',
      '123456789012,cy,not-an-upn',
    ].join('\n');
    const { entries, problems } = parseMappingCsv(text, 'people.csv');
    assert.equal(entries.length, 1);
    assert.deepEqual(
      problems.map((p) => [p.file, p.line]),
      [
        ['people.csv', 2],
        ['people.csv', 3],
      ],
    );
    assert.match(problems[0].message, /12 digits/);
    assert.match(problems[1].message, /not a user principal name/);
  });

  it('reports malformed CSV with the line it stopped at', () => {
    const { problems } = parseMappingCsv('123456789012,jsmith,"unterminated@example.com\n', 'people.csv');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'people.csv');
  });
});
