import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

/** A signed SAML Response from the sandbox's Entra for `upn` to the app (base64), as the browser would post it. */
async function entraAssertion(sandbox: RunningSandbox, appId: string, upn: string): Promise<string> {
  const res = await fetch(`${sandbox.info.endpoint}/_sandbox/entra/saml/assertion`, {
    method: 'POST',
    body: JSON.stringify({ appId, upn }),
  });
  const body = (await res.json()) as { samlResponse?: string; message?: string };
  assert.equal(res.status, 200, body.message);
  return body.samlResponse as string;
}

function unsignedSts(sandbox: RunningSandbox): STSClient {
  // AssumeRoleWithSAML is unsigned: the SDK sends no credentials for it.
  return new STSClient({ endpoint: sandbox.info.endpoint, region: sandbox.info.region, maxAttempts: 1 });
}

describe('sandbox STS AssumeRoleWithSAML against an account federated directly with Entra (direct-saml)', () => {
  let sandbox: RunningSandbox;
  let account: string;
  let provider: string;
  let appId: string;
  let admin: string;
  let upn: string;
  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'direct-saml' });
    const truth = sandbox.manifest.directSaml!;
    account = truth.accounts[0].accountId;
    provider = truth.accounts[0].provider;
    const app = truth.apps.find((a) => a.accountId === account)!;
    appId = app.appId;
    admin = `arn:aws:iam::${account}:role/Entra-Admin`;
    upn = app.roles.find((r) => r.roleName === 'Entra-Admin')!.groups[0].members[0];
  });
  after(() => sandbox.close());

  it('signs in with the Entra app’s assertion through the AWS CLI; the session is named by the UPN and CloudTrail records a SAMLUser', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const assertion = await entraAssertion(sandbox, appId, upn);
    const r = await awsCli(sandbox, [
      'sts',
      'assume-role-with-saml',
      '--role-arn',
      admin,
      '--principal-arn',
      provider,
      '--saml-assertion',
      assertion,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const out = r.json<{
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      AssumedRoleUser: { Arn: string };
      Subject: string;
      Issuer: string;
      Audience: string;
      NameQualifier: string;
    }>();
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/Entra-Admin/${upn}`);
    assert.equal(out.Subject, upn);
    assert.equal(out.Issuer, `https://sts.windows.net/${sandbox.world.entra!.tenantId}/`);
    assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
    const sts = new STSClient({
      ...sdkConfig(sandbox),
      credentials: {
        accessKeyId: out.Credentials.AccessKeyId,
        secretAccessKey: out.Credentials.SecretAccessKey,
        sessionToken: out.Credentials.SessionToken,
      },
    });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(me.Arn, out.AssumedRoleUser.Arn);
    const events = sandbox.world
      .account(account)
      .trail.events.filter((e) => e.record.eventName === 'AssumeRoleWithSAML');
    const last = events.at(-1)!.record;
    assert.equal(last.userIdentity.type, 'SAMLUser');
    assert.equal(last.userIdentity.userName, upn);
    assert.equal(last.userIdentity.principalId, `${out.NameQualifier}:${upn}`);
    assert.deepEqual(
      { ...last.requestParameters, sAMLAssertionID: undefined },
      {
        sAMLAssertionID: undefined,
        roleSessionName: upn,
        durationSeconds: 3600,
        roleArn: admin,
        principalArn: provider,
      },
    );
    assert.equal(last.errorCode, undefined);
  });

  it('refuses a tampered or foreign-signed assertion (InvalidIdentityToken), an expired one (ExpiredTokenException) and a role the assertion does not name or whose trust does not allow it (AccessDenied)', async () => {
    const sts = unsignedSts(sandbox);
    const call = (assertion: string, roleArn = admin, principalArn = provider) =>
      sts
        .send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: principalArn, SAMLAssertion: assertion }))
        .then(
          () => 'ok',
          (e: Error) => e.name,
        );
    const good = await entraAssertion(sandbox, appId, upn);
    const xml = Buffer.from(good, 'base64').toString('utf8');
    const tampered = Buffer.from(xml.replace(`>${upn}<`, '>mallory@example.com<'), 'utf8').toString('base64');
    assert.equal(await call(tampered), 'InvalidIdentityTokenException');
    // An assertion of another account's app is signed with that app's certificate: this provider refuses it.
    const other = sandbox.manifest.directSaml!.apps.find((a) => a.appId !== appId)!;
    const theirs = await entraAssertion(sandbox, other.appId, other.roles[0].groups[0].members[0]);
    assert.equal(await call(theirs), 'InvalidIdentityTokenException');
    // A role the Role attribute does not name, in this account: AccessDenied.
    assert.equal(await call(good, `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`), 'AccessDenied');
    // The role of another account whose trust names only that account's provider: AccessDenied.
    const foreign = sandbox.manifest.directSaml!.accounts.find((a) => a.accountId !== account)!;
    assert.equal(await call(good, `arn:aws:iam::${foreign.accountId}:role/Entra-Admin`), 'AccessDenied');
    assert.equal(await call(good), 'ok');
    sandbox.world.clock.advance(2 * 3600_000);
    assert.equal(await call(good), 'ExpiredTokenException');
    sts.destroy();
    const refused = sandbox.world
      .account(account)
      .trail.events.filter((e) => e.record.eventName === 'AssumeRoleWithSAML' && e.record.errorCode);
    assert.ok(refused.some((e) => e.record.errorCode === 'ExpiredTokenException'));
  });
});
