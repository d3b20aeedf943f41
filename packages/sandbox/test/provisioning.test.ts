import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  DescribeUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
} from '@aws-sdk/client-identitystore';
import type { GraphResult } from '../src/entra/graph-types.js';
import { AWS_GALLERY_TEMPLATE_ID } from '../src/entra/synchronization/aws-template.js';
import { synchronizationHandlers } from '../src/entra/synchronization/handlers.js';
import type { RunningSandbox } from '../src/index.js';
import { createScimToken, listScimTokens, revokeScimToken, scimEndpointUrl } from '../src/scim/scim-state.js';
import { createEntraTenant, createSsoInstance } from '../src/world/bootstrap.js';
import type { EntraGroup, EntraUser, ServicePrincipal } from '../src/world/entra-state.js';
import { sdkConfig, startTestSandbox } from './helpers/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: Graph JSON in assertions
type Json = Record<string, any>;
const MINUTE = 60_000;

describe('sandbox Entra provisioning to the Identity Center SCIM endpoint', () => {
  let sandbox: RunningSandbox;
  let sp: ServicePrincipal;
  let jobId: string;
  let scimToken: string;
  let identityStore: IdentitystoreClient;
  const people: Record<string, EntraUser> = {};
  const groups: Record<string, EntraGroup> = {};

  /** Calls a synchronization Graph handler the way the Graph router does (path after /v1.0). */
  async function graph(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json; headers: Json }> {
    const [pathname, search] = path.split('?');
    for (const h of synchronizationHandlers) {
      const m = h.method === method ? h.pattern.exec(pathname) : null;
      if (!m) continue;
      const r: GraphResult = await h.handle(
        {
          method,
          path: pathname,
          query: new URLSearchParams(search ?? ''),
          body,
          headers: {},
          caller: { appId: 'test', tenantId: sandbox.world.entra!.tenantId, roles: ['Synchronization.ReadWrite.All'] },
          sandbox,
          baseUrl: `${sandbox.info.endpoint}/v1.0`,
        },
        m,
      );
      return { status: r.status, body: (r.body ?? {}) as Json, headers: r.headers ?? {} };
    }
    throw new Error(`no handler for ${method} ${path}`);
  }

  const jobPath = () => `/servicePrincipals/${sp.id}/synchronization/jobs/${jobId}`;

  function addUser(key: string, enabled = true): EntraUser {
    const domain = sandbox.world.entra!.domain;
    const user: EntraUser = {
      id: randomUUID(),
      userPrincipalName: `${key}@${domain}`,
      mail: `${key}@${domain}`,
      givenName: key[0].toUpperCase() + key.slice(1),
      surname: 'Example',
      displayName: `${key} Example`,
      accountEnabled: enabled,
      onPremisesImmutableId: null,
      jobTitle: 'Engineer',
      department: null,
      createdDateTime: sandbox.world.clock.now(),
    };
    sandbox.world.entra!.users.set(user.id, user);
    people[key] = user;
    return user;
  }

  function addGroup(name: string, members: string[]): EntraGroup {
    const group: EntraGroup = {
      id: randomUUID(),
      displayName: name,
      description: null,
      mailNickname: name,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: sandbox.world.clock.now(),
      members: new Set(members),
    };
    sandbox.world.entra!.groups.set(group.id, group);
    groups[name] = group;
    return group;
  }

  function assign(principalId: string, principalType: 'User' | 'Group', name: string): void {
    sp.appRoleAssignedTo.push({
      id: randomUUID(),
      principalId,
      principalType,
      principalDisplayName: name,
      resourceId: sp.id,
      resourceDisplayName: sp.displayName,
      appRoleId: sp.appRoles[0].id,
      createdDateTime: sandbox.world.clock.now(),
    });
  }

  async function identityStoreUser(upn: string): Promise<Json | undefined> {
    const IdentityStoreId = sandbox.world.sso!.identityStoreId;
    try {
      const { UserId } = await identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: upn } },
        }),
      );
      return (await identityStore.send(new DescribeUserCommand({ IdentityStoreId, UserId }))) as Json;
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }

  function groupMembers(displayName: string): string[] {
    const sso = sandbox.world.sso!;
    const group = [...sso.groups.values()].find((g) => g.displayName === displayName);
    if (!group) return [];
    return [...sso.memberships.values()]
      .filter((m) => m.groupId === group.groupId)
      .map((m) => sso.users.get(m.userId)!.userName);
  }

  async function provisioningLog(): Promise<Json[]> {
    const r = await graph('GET', `/auditLogs/provisioning?$filter=${encodeURIComponent(`jobId eq '${jobId}'`)}`);
    return r.body.value as Json[];
  }

  before(async () => {
    sandbox = await startTestSandbox();
    const world = sandbox.world;
    if (!world.sso) createSsoInstance(world, sandbox.info.managementAccountId);
    if (!world.entra) createEntraTenant(world, 'contoso.example');
    identityStore = new IdentitystoreClient(sdkConfig(sandbox));
    scimToken = createScimToken(world).token;
    const appRoleId = randomUUID();
    sp = {
      id: randomUUID(),
      appId: randomUUID(),
      displayName: 'AWS IAM Identity Center',
      applicationTemplateId: AWS_GALLERY_TEMPLATE_ID,
      preferredSingleSignOnMode: 'saml',
      preferredTokenSigningKeyThumbprint: null,
      appRoles: [
        {
          id: appRoleId,
          displayName: 'User',
          value: null,
          description: 'User',
          allowedMemberTypes: ['User'],
          isEnabled: true,
        },
      ],
      servicePrincipalNames: [],
      signingCertificates: [],
      appRoleAssignedTo: [],
      samlSingleSignOnSettings: { relayState: null },
      createdDateTime: world.clock.now(),
    };
    world.entra!.servicePrincipals.set(sp.id, sp);
    addUser('alice');
    addUser('bob');
    addUser('carol');
    addUser('dave');
    addUser('erin');
    const contractors = addGroup('Contractors', [people.carol.id]);
    const engineers = addGroup('AWS-Engineers', [people.bob.id, contractors.id]);
    assign(people.alice.id, 'User', 'alice');
    assign(people.dave.id, 'User', 'dave');
    assign(engineers.id, 'Group', engineers.displayName);
  });
  after(() => sandbox.close());

  it('offers the AWS template with the soft-delete active mapping', async () => {
    const r = await graph('GET', `/servicePrincipals/${sp.id}/synchronization/templates`);
    assert.equal(r.status, 200);
    const template = r.body.value[0];
    assert.equal(template.id, 'aWSSingleSignon');
    assert.equal(template.factoryTag, 'aWSSingleSignon');
    assert.equal(template.schema.synchronizationRules[0].targetDirectoryName, 'AWSSingleSignon');
    const mappings = template.schema.synchronizationRules[0].objectMappings.flatMap((m: Json) => m.attributeMappings);
    const active = mappings.find((m: Json) => m.targetAttributeName === 'active');
    assert.equal(active.source.expression, 'Switch([IsSoftDeleted], , "False", "True", "True", "False")');
  });

  // Shapes: Microsoft's "Configure provisioning using Microsoft Graph APIs" (job JSON) and public Terraform
  // modules for this app (job id aWSSingleSignon.<32 hex>.<tenant id>); see packages/sandbox/GUESSES.md.
  it('creates the job from aWSSingleSignon: Paused, disabled, PT40M, id aWSSingleSignon.<hex>.<tenant>', async () => {
    const r = await graph('POST', `/servicePrincipals/${sp.id}/synchronization/jobs`, {
      templateId: 'aWSSingleSignon',
    });
    assert.equal(r.status, 201);
    jobId = r.body.id;
    assert.match(jobId, new RegExp(`^aWSSingleSignon\\.[0-9a-f]{32}\\.${sandbox.info.entra!.tenantId}$`));
    assert.equal(r.body.templateId, 'aWSSingleSignon');
    assert.equal(r.body.schedule.state, 'Disabled');
    assert.equal(r.body.schedule.interval, 'PT40M');
    assert.equal(r.body.status.code, 'Paused');
    const schema = await graph('GET', `${jobPath()}/schema`);
    assert.ok(JSON.stringify(schema.body).includes('IsSoftDeleted'));
  });

  it('validates credentials against the SCIM endpoint for real', async () => {
    const endpoint = scimEndpointUrl(sandbox.world, sandbox.info.endpoint);
    const check = (BaseAddress: string, SecretToken: string) =>
      graph('POST', `${jobPath()}/validateCredentials`, {
        credentials: [
          { key: 'BaseAddress', value: BaseAddress },
          { key: 'SecretToken', value: SecretToken },
        ],
      });
    const wrongToken = await check(endpoint, 'not-the-token');
    assert.equal(wrongToken.status, 400);
    assert.match(wrongToken.body.error.message, /invalid credentials.*Unauthorized/s);
    const wrongUrl = await check(`${sandbox.info.endpoint}/not/scim`, scimToken);
    assert.equal(wrongUrl.status, 400);
    assert.equal((await check(endpoint, scimToken)).status, 204);
  });

  it('saves the secrets, after which the job is configured but paused', async () => {
    const endpoint = scimEndpointUrl(sandbox.world, sandbox.info.endpoint);
    const r = await graph('PUT', `/servicePrincipals/${sp.id}/synchronization/secrets`, {
      value: [
        { key: 'BaseAddress', value: endpoint },
        { key: 'SecretToken', value: scimToken },
        { key: 'SyncAll', value: 'false' },
      ],
    });
    assert.equal(r.status, 204);
    assert.equal((await graph('POST', `${jobPath()}/validateCredentials`, { useSavedCredentials: true })).status, 204);
    assert.equal((await graph('GET', jobPath())).body.status.code, 'Paused');
  });

  it('provisions one user on demand, visible through the Identity Store API', async () => {
    assert.equal(await identityStoreUser(people.alice.userPrincipalName), undefined);
    const r = await graph('POST', `${jobPath()}/provisionOnDemand`, {
      parameters: [{ ruleId: 'x', subjects: [{ objectId: people.alice.id, objectTypeName: 'User' }] }],
    });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body.key).result, 'Success');
    const user = await identityStoreUser(people.alice.userPrincipalName);
    assert.ok(user);
    assert.equal(user.DisplayName, 'alice Example');
    assert.equal(user.Name.GivenName, 'Alice');
    assert.equal(user.Emails[0].Value, people.alice.mail);
  });

  it('skips a user who is only in a nested group as not effectively entitled', async () => {
    const r = await graph('POST', `${jobPath()}/provisionOnDemand`, {
      parameters: [{ subjects: [{ objectId: people.carol.id, objectTypeName: 'User' }] }],
    });
    const key = JSON.parse(r.body.key);
    assert.equal(key.result, 'Skipped');
    assert.equal(key.details.errorCode, 'NotEffectivelyEntitled');
    assert.equal(await identityStoreUser(people.carol.userPrincipalName), undefined);
  });

  it('limits provisionOnDemand to 5 requests per 10 seconds', async () => {
    sandbox.world.clock.advance(11_000);
    const call = () =>
      graph('POST', `${jobPath()}/provisionOnDemand`, {
        parameters: [{ subjects: [{ objectId: people.erin.id, objectTypeName: 'User' }] }],
      });
    for (let i = 0; i < 5; i++) assert.equal((await call()).status, 200);
    const throttled = await call();
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers['retry-after']) >= 1);
    sandbox.world.clock.advance(10_000);
    assert.equal((await call()).status, 200);
  });

  it('runs a full cycle when started: assigned users and groups with direct members only', async () => {
    assert.equal((await graph('POST', `${jobPath()}/start`)).status, 204);
    const job = (await graph('GET', jobPath())).body;
    assert.equal(job.status.code, 'Active');
    assert.equal(job.schedule.state, 'Active');
    assert.equal(job.status.lastExecution.state, 'Succeeded');
    assert.ok(job.status.lastExecution.countExported >= 3);
    for (const key of ['alice', 'bob', 'dave']) assert.ok(await identityStoreUser(people[key].userPrincipalName), key);
    assert.equal(await identityStoreUser(people.carol.userPrincipalName), undefined);
    assert.equal(await identityStoreUser(people.erin.userPrincipalName), undefined);
    assert.deepEqual(groupMembers('AWS-Engineers'), [people.bob.userPrincipalName]);
    assert.deepEqual(groupMembers('Contractors'), []);
    const store = [...sandbox.world.sso!.groups.values()].find((g) => g.displayName === 'AWS-Engineers')!;
    const listed = await identityStore.send(
      new ListGroupMembershipsCommand({ IdentityStoreId: sandbox.world.sso!.identityStoreId, GroupId: store.groupId }),
    );
    assert.equal(listed.GroupMemberships?.length, 1);
    const skips = (await provisioningLog()).filter((e) => e.sourceIdentity.id === people.carol.id);
    assert.ok(skips.some((e) => e.provisioningStatusInfo.errorInformation?.errorCode === 'NotEffectivelyEntitled'));
  });

  it('picks up changes on the next cycle, 40 minutes of virtual time later', async () => {
    const frank = addUser('frank');
    groups['AWS-Engineers'].members.add(frank.id);
    sandbox.world.clock.advance(30 * MINUTE);
    await graph('GET', jobPath());
    assert.equal(await identityStoreUser(frank.userPrincipalName), undefined);
    sandbox.world.clock.advance(11 * MINUTE);
    const job = (await graph('GET', jobPath())).body;
    assert.ok(await identityStoreUser(frank.userPrincipalName));
    assert.deepEqual(
      groupMembers('AWS-Engineers').sort(),
      [people.bob.userPrincipalName, frank.userPrincipalName].sort(),
    );
    assert.equal(job.status.lastExecution.state, 'Succeeded');
  });

  it('deactivates a disabled user and an unassigned user on the next cycle', async () => {
    people.dave.accountEnabled = false;
    sp.appRoleAssignedTo = sp.appRoleAssignedTo.filter((a) => a.principalId !== people.alice.id);
    sandbox.world.clock.advance(41 * MINUTE);
    await graph('GET', jobPath());
    const dave = sandbox.world.sso!.users.get((await identityStoreUser(people.dave.userPrincipalName))!.UserId)!;
    const alice = sandbox.world.sso!.users.get((await identityStoreUser(people.alice.userPrincipalName))!.UserId)!;
    assert.equal(dave.active, false);
    assert.equal(alice.active, false);
    const actions = (await provisioningLog())
      .filter((e) => e.provisioningAction === 'disable')
      .map((e) => e.sourceIdentity.id);
    assert.ok(actions.includes(people.dave.id));
    assert.ok(actions.includes(people.alice.id));
    const bob = sandbox.world.sso!.users.get((await identityStoreUser(people.bob.userPrincipalName))!.UserId)!;
    assert.equal(bob.active, true);
  });

  it('goes into quarantine after repeated failures with a revoked token, and leaves it when fixed', async () => {
    for (const t of listScimTokens(sandbox.world)) revokeScimToken(sandbox.world, t.tokenId);
    let job: Json = {};
    for (let i = 1; i <= 3; i++) {
      sandbox.world.clock.advance(41 * MINUTE);
      job = (await graph('GET', jobPath())).body;
      assert.equal(job.status.countSuccessiveCompleteFailures, i);
      assert.equal(job.status.lastExecution.state, 'Failed');
    }
    assert.equal(job.status.code, 'Quarantine');
    assert.equal(job.status.quarantine.reason, 'EncounteredQuarantineException');
    assert.match(job.status.quarantine.error.code, /CredentialValidationUnavailable/);
    const fresh = createScimToken(sandbox.world).token;
    await graph('PUT', `/servicePrincipals/${sp.id}/synchronization/secrets`, {
      value: [{ key: 'SecretToken', value: fresh }],
    });
    assert.equal((await graph('POST', `${jobPath()}/start`)).status, 204);
    job = (await graph('GET', jobPath())).body;
    assert.equal(job.status.code, 'Active');
    assert.equal(job.status.quarantine, null);
    assert.equal(job.status.lastExecution.state, 'Succeeded');
  });
});
