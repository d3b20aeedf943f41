import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  EnableMFADeviceCommand,
  GetGroupCommand,
  GetSSHPublicKeyCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import { rejectsWith, totp } from './helpers/aws-assert.js';
import { awsCli, runAsync, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { requireTool } from './helpers/tools.js';

/** An `ssh-rsa` public key line made from a fresh RSA key, with the key's modulus. */
function sshRsaPublicKey(): { line: string; modulus: string } {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  const mpint = (b64: string) => {
    let b = Buffer.from(b64, 'base64url');
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const type = Buffer.from('ssh-rsa');
  const tlen = Buffer.alloc(4);
  tlen.writeUInt32BE(type.length);
  const blob = Buffer.concat([tlen, type, mpint(jwk.e!), mpint(jwk.n!)]);
  return { line: `ssh-rsa ${blob.toString('base64')} test@example`, modulus: jwk.n! };
}

/** A self-signed X.509 certificate (PEM) made with openssl. */
async function selfSignedCertificate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-cert-'));
  const r = await runAsync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-subj',
      '/CN=sandbox-test',
      '-days',
      '2',
    ],
    { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  );
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(join(dir, 'c.pem'), 'utf8');
}

describe('sandbox IAM users', () => {
  let sandbox: RunningSandbox;
  let iam: IAMClient;
  before(async () => {
    sandbox = await startTestSandbox();
    iam = new IAMClient(sdkConfig(sandbox));
  });
  after(() => sandbox.close());

  it('creates, reads, tags and renames a user, with IAM errors for conflicts and unknown names', async () => {
    const created = await iam.send(
      new CreateUserCommand({ UserName: 'u-dana', Path: '/people/', Tags: [{ Key: 'team', Value: 'data' }] }),
    );
    assert.equal(created.User?.Arn, `arn:aws:iam::${sandbox.info.managementAccountId}:user/people/u-dana`);
    assert.match(created.User?.UserId ?? '', /^AIDA[A-Z2-7]{16}$/);
    await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'U-DANA' })), 'EntityAlreadyExistsException', 409);
    await rejectsWith(iam.send(new GetUserCommand({ UserName: 'nobody-here' })), 'NoSuchEntityException', 404);
    await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'bad name!' })), 'ValidationError', 400);
    await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'x'.repeat(65) })), 'ValidationError', 400);

    await iam.send(new TagUserCommand({ UserName: 'u-dana', Tags: [{ Key: 'cost-center', Value: '42' }] }));
    await iam.send(new UntagUserCommand({ UserName: 'u-dana', TagKeys: ['team'] }));
    const tags = await iam.send(new ListUserTagsCommand({ UserName: 'u-dana' }));
    assert.deepEqual(tags.Tags, [{ Key: 'cost-center', Value: '42' }]);

    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'u-dana' }))).AccessKey!;
    await iam.send(new UpdateUserCommand({ UserName: 'u-dana', NewUserName: 'u-dana2', NewPath: '/staff/' }));
    const got = await iam.send(new GetUserCommand({ UserName: 'u-dana2' }));
    assert.equal(got.User?.UserId, created.User?.UserId);
    const sts = new STSClient(
      sdkConfig(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }),
    );
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, `arn:aws:iam::${sandbox.info.managementAccountId}:user/staff/u-dana2`);
  });

  it('pages ListUsers with MaxItems and Marker, and filters by PathPrefix', async () => {
    for (const n of [1, 2, 3, 4, 5])
      await iam.send(new CreateUserCommand({ UserName: `u-page-${n}`, Path: '/paged/' }));
    const all = (await iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? [];
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((page.Users ?? []).length <= 2);
      seen.push(...(page.Users ?? []).map((u) => u.UserName!));
      marker = page.IsTruncated ? page.Marker : undefined;
      if (page.IsTruncated) assert.ok(page.Marker);
      pages++;
    } while (marker);
    assert.deepEqual(
      seen,
      all.map((u) => u.UserName),
    );
    assert.equal(pages, Math.ceil(all.length / 2));
    const paged = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/' }));
    assert.deepEqual(
      paged.Users?.map((u) => u.UserName),
      ['u-page-1', 'u-page-2', 'u-page-3', 'u-page-4', 'u-page-5'],
    );
    await rejectsWith(iam.send(new ListUsersCommand({ MaxItems: 0 })), 'ValidationError', 400);
  });

  it('manages groups and memberships', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'g-readers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'g-readers', UserName: 'u-page-1' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'g-readers', UserName: 'u-page-2' }));
    const group = await iam.send(new GetGroupCommand({ GroupName: 'g-readers' }));
    assert.deepEqual(
      group.Users?.map((u) => u.UserName),
      ['u-page-1', 'u-page-2'],
    );
    const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'u-page-1' }));
    assert.deepEqual(
      forUser.Groups?.map((g) => g.GroupName),
      ['g-readers'],
    );
    await rejectsWith(
      iam.send(new CreateGroupCommand({ GroupName: 'G-Readers' })),
      'EntityAlreadyExistsException',
      409,
    );
  });

  it('refuses DeleteUser with DeleteConflict until the seed guide cleanup has removed everything', async (t) => {
    const withCli = requireTool(t, 'aws', 'the steps through the AWS CLI v2');
    const user = 'u-leaver';
    await iam.send(new CreateUserCommand({ UserName: user }));
    await iam.send(new CreateLoginProfileCommand({ UserName: user, Password: 'Leav1ng-Soon!' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
    await iam.send(new CreateGroupCommand({ GroupName: 'g-leavers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'g-leavers', UserName: user }));
    await iam.send(
      new AttachUserPolicyCommand({ UserName: user, PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }),
    );
    await iam.send(
      new PutUserPolicyCommand({
        UserName: user,
        PolicyName: 'inline-s3',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
        }),
      }),
    );
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: user }));
    const serial = device.VirtualMFADevice!.SerialNumber!;
    const seed = Buffer.from(device.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
    const now = sandbox.world.clock.nowMs();
    await rejectsWith(
      iam.send(
        new EnableMFADeviceCommand({
          UserName: user,
          SerialNumber: serial,
          AuthenticationCode1: '000000',
          AuthenticationCode2: '000001',
        }),
      ),
      'InvalidAuthenticationCodeException',
      403,
    );
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: user,
        SerialNumber: serial,
        AuthenticationCode1: totp(seed, now - 30_000),
        AuthenticationCode2: totp(seed, now),
      }),
    );
    const sshKey = sshRsaPublicKey();
    const ssh = await iam.send(new UploadSSHPublicKeyCommand({ UserName: user, SSHPublicKeyBody: sshKey.line }));
    assert.match(ssh.SSHPublicKey?.Fingerprint ?? '', /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const pem = await iam.send(
      new GetSSHPublicKeyCommand({ UserName: user, SSHPublicKeyId: ssh.SSHPublicKey?.SSHPublicKeyId, Encoding: 'PEM' }),
    );
    const parsed = createPublicKey(pem.SSHPublicKey?.SSHPublicKeyBody ?? '').export({ format: 'jwk' });
    assert.equal(parsed.n, sshKey.modulus, 'the PEM encoding holds the uploaded key');
    await iam.send(
      new UploadSigningCertificateCommand({ UserName: user, CertificateBody: await selfSignedCertificate() }),
    );
    await iam.send(
      new CreateServiceSpecificCredentialCommand({ UserName: user, ServiceName: 'codecommit.amazonaws.com' }),
    );

    const conflict = () =>
      rejectsWith(iam.send(new DeleteUserCommand({ UserName: user })), 'DeleteConflictException', 409);
    const cli = async (args: string[]) => {
      const r = await awsCli(sandbox, ['iam', ...args]);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim() ? r.json<Record<string, unknown>>() : {};
    };
    if (withCli) {
      const refused = await awsCli(sandbox, ['iam', 'delete-user', '--user-name', user]);
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /DeleteConflict/);
    }
    await conflict();

    // Step 7.2 and 7.4 of the guide (password, keys), then step 7.5 in its order; DeleteUser is refused
    // after each step until the last. The SDK does most steps (the AWS CLI costs a second per call here).
    await iam.send(new DeleteLoginProfileCommand({ UserName: user }));
    await conflict();
    await iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: key.AccessKeyId }));
    await conflict();
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }));
    for (const p of attached.AttachedPolicies ?? [])
      await iam.send(new DetachUserPolicyCommand({ UserName: user, PolicyArn: p.PolicyArn }));
    await conflict();
    const inline = await iam.send(new ListUserPoliciesCommand({ UserName: user }));
    for (const name of inline.PolicyNames ?? [])
      await iam.send(new DeleteUserPolicyCommand({ UserName: user, PolicyName: name }));
    await conflict();
    const groups = await iam.send(new ListGroupsForUserCommand({ UserName: user }));
    for (const g of groups.Groups ?? [])
      await iam.send(new RemoveUserFromGroupCommand({ UserName: user, GroupName: g.GroupName }));
    await conflict();
    const mfa = await iam.send(new ListMFADevicesCommand({ UserName: user }));
    for (const d of mfa.MFADevices ?? []) {
      await iam.send(new DeactivateMFADeviceCommand({ UserName: user, SerialNumber: d.SerialNumber }));
      await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: d.SerialNumber }));
    }
    await conflict();
    if (withCli) {
      const sshKeys = await cli(['list-ssh-public-keys', '--user-name', user]);
      for (const k of sshKeys.SSHPublicKeys as { SSHPublicKeyId: string }[])
        await cli(['delete-ssh-public-key', '--user-name', user, '--ssh-public-key-id', k.SSHPublicKeyId]);
    } else {
      const sshKeys = await iam.send(new ListSSHPublicKeysCommand({ UserName: user }));
      for (const k of sshKeys.SSHPublicKeys ?? [])
        await iam.send(new DeleteSSHPublicKeyCommand({ UserName: user, SSHPublicKeyId: k.SSHPublicKeyId }));
    }
    await conflict();
    const certs = await iam.send(new ListSigningCertificatesCommand({ UserName: user }));
    for (const c of certs.Certificates ?? [])
      await iam.send(new DeleteSigningCertificateCommand({ UserName: user, CertificateId: c.CertificateId }));
    await conflict();
    const creds = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: user }));
    for (const c of creds.ServiceSpecificCredentials ?? [])
      await iam.send(
        new DeleteServiceSpecificCredentialCommand({
          UserName: user,
          ServiceSpecificCredentialId: c.ServiceSpecificCredentialId,
        }),
      );
    if (withCli) await cli(['delete-user', '--user-name', user]);
    else await iam.send(new DeleteUserCommand({ UserName: user }));
    await rejectsWith(iam.send(new GetUserCommand({ UserName: user })), 'NoSuchEntityException', 404);
  });
});
