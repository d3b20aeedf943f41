import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

describe('sandbox STS and request signing', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(() => sandbox.close());

  it('answers GetCallerIdentity to the AWS SDK v3 with the operator identity', async () => {
    const sts = new STSClient(sdkConfig(sandbox));
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, sandbox.info.managementAccountId);
    assert.match(id.Arn ?? '', /^arn:aws:iam::\d{12}:user\//);
    assert.match(id.UserId ?? '', /^AIDA[A-Z2-7]{16}$/);
  });

  it('refuses an unknown key with InvalidClientTokenId', async () => {
    const sts = new STSClient(
      sdkConfig(sandbox, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }),
    );
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error) => e.name === 'InvalidClientTokenId');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const creds = { ...sandbox.info.credentials, secretAccessKey: 'y'.repeat(40) };
    const sts = new STSClient(sdkConfig(sandbox, creds));
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error) => e.name === 'SignatureDoesNotMatch');
  });

  it("tells the SDK its virtual time in Date, which the SDK's clock-skew correction takes up", async () => {
    const sts = new STSClient(sdkConfig(sandbox));
    sandbox.world.clock.advance(3 * 86_400_000);
    await sts.send(new GetCallerIdentityCommand({}));
    const offset = (sts.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
    const skew = Math.abs(Date.now() + offset - sandbox.world.clock.nowMs());
    assert.ok(skew < 5_000, `the client's corrected clock is ${skew} ms off the sandbox's`);
  });

  it('answers the AWS CLI v2', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const r = await awsCli(sandbox, ['sts', 'get-caller-identity']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json<{ Account: string }>().Account, sandbox.info.managementAccountId);
  });
});
