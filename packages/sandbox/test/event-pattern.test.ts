import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPattern, patternMatches } from '../src/aws/events/pattern.js';

const EVENT = {
  source: 'aws.signin',
  'detail-type': 'AWS Console Sign In via CloudTrail',
  detail: {
    eventName: 'ConsoleLogin',
    userIdentity: { type: 'IAMUser', userName: 'break-glass-admin' },
    responseElements: { ConsoleLogin: 'Success' },
    resources: [{ type: 'AWS::IAM::User' }],
    tags: ['a', 'b'],
  },
};

const CASES: [string, object, boolean][] = [
  [
    'exact values, nested',
    { source: ['aws.signin'], detail: { userIdentity: { userName: ['break-glass-admin'] } } },
    true,
  ],
  ['another user', { detail: { userIdentity: { userName: ['someone'] } } }, false],
  ['prefix', { detail: { eventName: [{ prefix: 'Console' }] } }, true],
  ['suffix', { detail: { eventName: [{ suffix: 'Logout' }] } }, false],
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'aws console sign in via cloudtrail' }] }, true],
  ['anything-but a list', { detail: { eventName: [{ 'anything-but': ['ConsoleLogin', 'x'] }] } }, false],
  ['anything-but a prefix', { detail: { eventName: [{ 'anything-but': { prefix: 'Get' } }] } }, true],
  ['exists true on a present field', { detail: { responseElements: { ConsoleLogin: [{ exists: true }] } } }, true],
  ['exists false on a missing field', { detail: { errorCode: [{ exists: false }] } }, true],
  ['a missing field without exists', { detail: { errorCode: ['AccessDenied'] } }, false],
  ['any element of an event list', { detail: { tags: ['b'] } }, true],
  ['wildcard', { detail: { userIdentity: { userName: [{ wildcard: 'break-*-admin' }] } } }, true],
];

describe('EventBridge event patterns', () => {
  for (const [name, pattern, expected] of CASES)
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => {
      assert.equal(patternMatches(pattern as Record<string, unknown>, EVENT), expected);
    });

  it('refuses empty lists and scalar leaves', () => {
    assert.match(checkPattern({ source: [] }) ?? '', /Empty arrays/);
    assert.match(checkPattern({ source: 'aws.iam' }) ?? '', /must be an object or an array/);
    assert.equal(checkPattern({ detail: { a: ['x'] } }), null);
  });
});
