import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { thumbprintOf } from '../../src/entra/graph-app.js';
import {
  entraCloudError,
  failureFromBatchResponse,
  failureOf,
  GraphCallError,
  isExpiredDelta,
  toCloudError,
} from '../../src/entra/graph-errors.js';
import { readOnDemandAnswer } from '../../src/entra/graph-provisioning.js';
import { mailNicknameFor } from '../../src/entra/graph-writers.js';
import { memberChanges } from '../../src/entra/groups.js';
import { settledByError, writeIdempotently } from '../../src/entra/idempotent.js';
import { type GraphOperation, REQUIRED_PERMISSION } from '../../src/entra/permissions.js';
import { CloudError } from '../../src/errors.js';

function graphError(status: number, code: string, message: string): GraphError {
  const e = new GraphError(status, message);
  e.code = code;
  e.requestId = 'req-1';
  return e;
}

describe('Graph failures, permissions and idempotent writes', () => {
  it('names the exact permission each refused operation needs', () => {
    const cases: [GraphOperation, string][] = [
      ['apps.instantiate', 'Application.ReadWrite.All'],
      ['apps.assign', 'AppRoleAssignment.ReadWrite.All'],
      ['sync.write', 'Synchronization.ReadWrite.All'],
      ['groups.members.write', 'GroupMember.ReadWrite.All'],
      ['users.read', 'User.Read.All'],
    ];
    for (const [op, permission] of cases) {
      const denied = new GraphCallError(
        failureOf(
          graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
        )!,
        op,
      );
      const cloud = toCloudError(denied, 'client-123');
      assert.equal(REQUIRED_PERMISSION[op], permission);
      assert.equal(cloud.errorName, 'Authorization_RequestDenied');
      assert.equal(cloud.requestId, 'req-1');
      assert.match(cloud.hint ?? '', new RegExp(`permission ${permission.replace(/\./g, '\\.')} to app client-123`));
    }
  });

  it('treats "already exists" on create and "not found" on delete as success, and nothing else', async () => {
    const exists = graphError(
      400,
      'Request_BadRequest',
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const assigned = graphError(400, 'Request_BadRequest', 'Permission being assigned already exists on the object');
    const gone = graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist");
    const conflict = graphError(409, 'Conflict', 'A synchronization job already exists.');
    const bad = graphError(400, 'Request_BadRequest', "Invalid value specified for property 'displayName'.");
    assert.equal(settledByError('create', exists), 'already');
    assert.equal(settledByError('create', assigned), 'already');
    assert.equal(settledByError('create', conflict), 'already');
    assert.equal(settledByError('delete', gone), 'already');
    assert.equal(settledByError('create', gone), null);
    assert.equal(settledByError('delete', exists), null);
    assert.equal(settledByError('create', bad), null);
    assert.equal(settledByError('create', new Error('socket hang up')), null);
    assert.equal(await writeIdempotently('create', async () => {}), 'done');
    assert.equal(
      await writeIdempotently('create', async () => {
        throw exists;
      }),
      'already',
    );
    await assert.rejects(
      writeIdempotently('create', async () => {
        throw bad;
      }),
      (e) => e === bad,
    );
  });

  it('recognises an expired delta link by status 410 or Graph code', () => {
    assert.ok(
      isExpiredDelta(failureOf(graphError(400, 'syncStateNotFound', 'The sync state generation is not found.'))!),
    );
    assert.ok(isExpiredDelta(failureOf(graphError(410, 'resyncRequired', 'Resync required.'))!));
    assert.ok(!isExpiredDelta(failureOf(graphError(400, 'Request_BadRequest', 'The skip token is not valid.'))!));
  });

  it('reads a throttled $batch response with its Retry-After', () => {
    const failure = failureFromBatchResponse({
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'TooManyRequests', message: 'Too many requests.', innerError: { 'request-id': 'r9' } } },
    });
    assert.deepEqual(failure, {
      status: 429,
      code: 'TooManyRequests',
      message: 'Too many requests.',
      requestId: 'r9',
      retryAfterSeconds: 7,
    });
  });

  it('turns sign-in failures into cloud errors that say what to check, and leaves bugs alone', () => {
    const auth = Object.assign(new Error('invalid_client: AADSTS7000215: Invalid client secret provided.'), {
      name: 'AuthenticationRequiredError',
    });
    const cloud = entraCloudError(auth, 'c');
    assert.ok(cloud instanceof CloudError);
    assert.match(cloud.hint ?? '', /AZURE_CLIENT_SECRET/);
    const bug = new TypeError('x is undefined');
    assert.equal(entraCloudError(bug, 'c'), bug);
  });

  it('computes member changes for user members only, leaving nested groups alone', () => {
    const current = [
      { id: 'u1', type: 'user' as const },
      { id: 'u2', type: 'user' as const },
      { id: 'g1', type: 'group' as const },
    ];
    assert.deepEqual(memberChanges(new Set(['u2', 'u3']), current), { add: ['u3'], remove: ['u1'] });
    assert.deepEqual(memberChanges(new Set(['u1', 'u2']), current), { add: [], remove: [] });
  });

  it('derives a mailNickname Graph accepts from any display name', () => {
    assert.equal(mailNicknameFor('AWS-Production-Admin'), 'AWS-Production-Admin');
    assert.equal(mailNicknameFor('AWS Prod (Admin) @ EU'), 'AWS-Prod-Admin-EU');
    assert.equal(mailNicknameFor('Équipe données'), 'Equipe-donnees');
    assert.equal(mailNicknameFor('***'), 'group');
    assert.equal(mailNicknameFor('x'.repeat(100)).length, 64);
  });

  it('reads thumbprints given as hex or as base64 bytes', () => {
    const hex = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    assert.equal(thumbprintOf(hex), hex.toUpperCase());
    assert.equal(thumbprintOf(Buffer.from(hex, 'hex').toString('base64')), hex.toUpperCase());
    assert.equal(thumbprintOf(null), null);
  });

  it("reads provisionOnDemand's JSON-in-strings answer", () => {
    const skipped = readOnDemandAnswer({
      key: JSON.stringify({
        result: 'Skipped',
        details: { errorCode: 'NotEffectivelyEntitled', errorMessage: 'nested' },
      }),
      value: JSON.stringify({ action: 'Other', targetIdentity: { id: null } }),
    });
    assert.deepEqual(skipped, { status: 'Skipped', action: 'Other', reason: 'nested', targetId: null });
    const ok = readOnDemandAnswer({
      key: '{}',
      value: JSON.stringify({
        action: 'Create',
        provisioningStatusInfo: { status: 'success' },
        targetIdentity: { id: 't1' },
      }),
    });
    assert.deepEqual(ok, { status: 'Success', action: 'Create', reason: null, targetId: 't1' });
  });
});
