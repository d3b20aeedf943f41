/**
 * The `direct-saml` starting point: the small organization, whose member accounts are federated straight to IAM the
 * way Microsoft's architecture guide sets up Entra's "AWS Single-Account Access" app: an IAM SAML provider per
 * account, roles whose trust lets it call sts:AssumeRoleWithSAML (audience https://signin.aws.amazon.com/saml), and
 * an IAM user whose keys let Entra's provisioning read the roles (allowed only iam:ListRoles and
 * iam:ListAccountAliases). The provisioning user's name says nothing of its purpose, on purpose. On the Entra side,
 * one "AWS Single-Account Access" app per account (direct-saml-entra.ts), whose federation metadata is the provider's.
 */
import { makeAwsId } from '../rng.js';
import { newIamUser } from '../world/iam-state.js';
import type { World } from '../world/world.js';
import { AWS_MANAGED_ARNS } from './catalog.js';
import { type DirectSamlAppTruth, seedSingleAccountApp } from './direct-saml-entra.js';
import type { Manifest } from './types.js';

/** What the federation is, for the product's tests. */
export type DirectSamlTruth = {
  accounts: { accountId: string; provider: string; roles: string[]; provisioningUser: string }[];
  /** The Entra app of each account (none when the world has no Entra tenant). */
  apps: DirectSamlAppTruth[];
};

const PROVIDER = 'EntraID';
const PROVISIONING_USER = 'entra-role-reader';
const ROLES: Record<string, string> = { 'Entra-Admin': 'AdministratorAccess', 'Entra-ReadOnly': 'ReadOnlyAccess' };

/** Metadata of an IdP the sandbox cannot sign for (a world without Entra): an IDPSSODescriptor over 1,000 characters. */
function foreignMetadata(): string {
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/">`,
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`,
    `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${'A'.repeat(900)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`,
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/saml2"/>`,
    `</IDPSSODescriptor></EntityDescriptor>`,
  ].join('');
}

/** Federates every member account directly; returns the truth the tests check against. */
export function seedDirectSaml(world: World, manifest: Manifest): DirectSamlTruth {
  const now = world.clock.now();
  const entra = world.entra;
  const people = entra ? [...entra.users.values()].filter((u) => u.accountEnabled && !u.deletedDateTime) : [];
  const members = manifest.accounts.filter((a) => a.id !== manifest.managementAccountId);
  const apps: DirectSamlAppTruth[] = [];
  const accounts = members.map((a, n) => {
    const iam = world.account(a.id).iam;
    const arn = `arn:aws:iam::${a.id}:saml-provider/${PROVIDER}`;
    const validUntil = new Date(now.getTime() + 3 * 365 * 86_400_000);
    const roleArns = Object.fromEntries(Object.keys(ROLES).map((r) => [r, `arn:aws:iam::${a.id}:role/${r}`]));
    const app =
      entra && people.length > 0
        ? seedSingleAccountApp(world, entra, { id: a.id, name: a.name, n: n + 1 }, arn, roleArns, people)
        : null;
    if (app) apps.push(app.truth);
    iam.samlProviders.set(arn, {
      arn,
      metadataDocument: app?.metadata ?? foreignMetadata(),
      createDate: now,
      validUntil,
      tags: [],
    });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
      ],
    });
    for (const [roleName, policy] of Object.entries(ROLES))
      iam.roles.set(roleName, {
        roleName,
        roleId: makeAwsId(world.rng, 'AROA'),
        path: '/',
        createDate: now,
        assumeRolePolicyDocument: trust,
        description: `Entra ID single sign-on (${policy})`,
        maxSessionDuration: 3600,
        attachedPolicies: [AWS_MANAGED_ARNS[policy]],
        inlinePolicies: new Map(),
        tags: [],
      });
    const user = newIamUser(PROVISIONING_USER, makeAwsId(world.rng, 'AIDA'), now);
    user.inlinePolicies.set(
      'EntraRoleRead',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' }],
      }),
    );
    user.accessKeys.push(world.issueAccessKey(a.id, PROVISIONING_USER, now));
    iam.users.set(PROVISIONING_USER, user);
    return { accountId: a.id, provider: arn, roles: Object.keys(ROLES), provisioningUser: PROVISIONING_USER };
  });
  return { accounts, apps };
}
