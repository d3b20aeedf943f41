import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IAMClient, ListSAMLProvidersCommand, ListServiceSpecificCredentialsCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { RunningSandbox } from '../src/index.js';
import { parseFaultSpec } from '../src/world/fault-rules.js';
import { sdkConfig, startTestSandbox } from './helpers/sandbox.js';

type SdkFailure = Error & { $metadata?: { httpStatusCode?: number }; $response?: { body?: unknown } };

async function failure(promise: Promise<unknown>): Promise<SdkFailure> {
  try {
    await promise;
  } catch (e) {
    return e as SdkFailure;
  }
  assert.fail('the call succeeded');
}

describe('sandbox scoped fault rules', () => {
  let sandbox: RunningSandbox;
  let iam: IAMClient;
  const rulesUrl = () => `${sandbox.info.endpoint}/_sandbox/faults/rules`;
  const post = (body: unknown) =>
    fetch(rulesUrl(), { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  before(async () => {
    sandbox = await startTestSandbox();
    iam = new IAMClient(sdkConfig(sandbox));
  });
  after(async () => {
    iam.destroy();
    await sandbox.close();
  });
  beforeEach(async () => {
    await fetch(rulesUrl(), { method: 'DELETE' });
  });

  it('fails a named IAM operation with AccessDenied (403, Query XML) for count calls, then answers again', async () => {
    const account = sandbox.info.managementAccountId;
    const added = await post({
      service: 'iam',
      operation: 'ListSAMLProviders',
      account,
      error: 'AccessDenied',
      count: 1,
    });
    assert.equal(added.status, 200);
    const e = await failure(iam.send(new ListSAMLProvidersCommand({})));
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.$metadata?.httpStatusCode, 403);
    assert.match(e.message, /is not authorized to perform: iam:ListSAMLProviders/);
    await iam.send(new ListSAMLProvidersCommand({}));
    const listed = (await (await fetch(rulesUrl())).json()) as { rules: { hits: number; count: number }[] };
    assert.deepEqual(
      listed.rules.map((r) => [r.hits, r.count]),
      [[1, 1]],
    );
  });

  it('leaves other operations and other accounts alone', async () => {
    await post({ service: 'iam', operation: 'ListSAMLProviders', account: '999999999999', error: 'AccessDenied' });
    await post({ service: 'iam', operation: 'ListServiceSpecificCredentials', error: 'AccessDenied' });
    await iam.send(new ListSAMLProvidersCommand({}));
    await failure(iam.send(new ListServiceSpecificCredentialsCommand({})));
  });

  it('answers a JSON-protocol service in its own error shape', async () => {
    await post({ service: 'organizations', operation: 'ListAccounts', error: 'AccessDeniedException' });
    const orgs = new OrganizationsClient(sdkConfig(sandbox));
    const e = await failure(orgs.send(new ListAccountsCommand({})));
    orgs.destroy();
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.$metadata?.httpStatusCode, 400);
  });

  it('answers html503 with an HTML page the SDK cannot parse', async () => {
    await post({ service: 'iam', operation: '*', error: 'html503' });
    const e = await failure(iam.send(new ListSAMLProvidersCommand({})));
    assert.equal(e.$metadata?.httpStatusCode, 503);
  });

  it('resets the connection for reset', async () => {
    await post({ service: 'iam', operation: 'ListSAMLProviders', error: 'reset' });
    const e = await failure(iam.send(new ListSAMLProvidersCommand({})));
    assert.match(`${e.name} ${(e as { code?: string }).code} ${e.message}`, /ECONNRESET|socket hang up/);
  });

  it('never answers for timeout (the client gives up)', async () => {
    await post({ service: 'iam', operation: 'ListSAMLProviders', error: 'timeout', count: 1 });
    const e = await failure(iam.send(new ListSAMLProvidersCommand({}), { abortSignal: AbortSignal.timeout(300) }));
    assert.match(`${e.name} ${e.message}`, /abort/i);
  });

  it('fails Graph calls by path segment in the Graph error shape', async () => {
    await post({ service: 'graph', operation: 'users', error: 'Authorization_RequestDenied' });
    const res = await fetch(`${sandbox.info.endpoint}/v1.0/users`);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'Authorization_RequestDenied');
  });

  it('refuses a malformed rule with 400 and what is wrong', async () => {
    const bad = await post({ service: 'iam', operation: 'ListUsers', error: 'AccessDenied', count: 0 });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /count/);
    const unknown = await post({ service: 'iam', operation: 'ListUsers', eror: 'AccessDenied' });
    assert.match(String(unknown.body.message), /unknown field "eror"/);
  });

  it('parses the --fault form service:operation[:account]=error[xCOUNT]', () => {
    assert.deepEqual(parseFaultSpec('iam:GetCredentialReport:111111111111=html503x3'), {
      ok: true,
      rule: { service: 'iam', operation: 'GetCredentialReport', account: '111111111111', error: 'html503', count: 3 },
    });
    assert.deepEqual(parseFaultSpec('graph:users=reset'), {
      ok: true,
      rule: { service: 'graph', operation: 'users', error: 'reset' },
    });
    assert.equal(parseFaultSpec('iam-ListUsers').ok, false);
  });

  it('starts with the rules given to startSandbox (what sandbox up --fault passes)', async () => {
    const parsed = parseFaultSpec('iam:ListSAMLProviders=AccessDeniedx2');
    assert.ok(parsed.ok);
    const other = await startTestSandbox({ faultRules: [parsed.rule] });
    try {
      const client = new IAMClient(sdkConfig(other));
      const e = await failure(client.send(new ListSAMLProvidersCommand({})));
      client.destroy();
      assert.equal(e.name, 'AccessDenied');
      const listed = (await (await fetch(`${other.info.endpoint}/_sandbox/faults/rules`)).json()) as {
        rules: { count: number; hits: number }[];
      };
      assert.deepEqual(
        listed.rules.map((r) => [r.count, r.hits]),
        [[2, 1]],
      );
    } finally {
      await other.close();
    }
  });
});
