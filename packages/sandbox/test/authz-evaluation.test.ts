/** The sandbox's policy evaluation, as a case table: statements, wildcards, conditions, and how policy kinds combine. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, deniedMessage } from '../src/aws/authz/authorize.js';
import type { AuthzRequest } from '../src/aws/authz/policy-document.js';
import type { PolicySet } from '../src/aws/authz/principal-policies.js';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const SSO_ROLE =
  'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef';

function request(action: string, resource = '*', keys: Record<string, string> = {}): AuthzRequest {
  const context = new Map<string, string>([
    ['aws:principalarn', 'arn:aws:iam::222222222222:user/alice'],
    ['aws:username', 'alice'],
    ...Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
  ]);
  return { action, resource, context };
}

function set(p: Partial<PolicySet>): PolicySet {
  return { identity: [], principalArn: 'arn:aws:iam::222222222222:user/alice', tags: [], ...p };
}

const denyUsersScp = doc({
  Effect: 'Deny',
  Action: ['iam:CreateUser', 'iam:CreateAccessKey'],
  Resource: '*',
  Condition: {
    ArnNotLike: {
      'aws:PrincipalArn': [
        'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*',
        'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*',
      ],
    },
  },
});

type Case = [name: string, policies: PolicySet, req: AuthzRequest, expected: string];

const CASES: Case[] = [
  ['no policy: implicit deny', set({}), request('iam:ListUsers'), 'implicit identity-based policy'],
  ['allow *', set({ identity: [allowAll] }), request('iam:ListUsers'), 'allowed'],
  [
    'action wildcards ignore case',
    set({ identity: [doc({ Effect: 'Allow', Action: 'IAM:list*', Resource: '*' })] }),
    request('iam:ListUsers'),
    'allowed',
  ],
  [
    '? matches one character',
    set({ identity: [doc({ Effect: 'Allow', Action: 'iam:Get?ser', Resource: '*' })] }),
    request('iam:GetUser'),
    'allowed',
  ],
  [
    'NotAction allows everything else',
    set({ identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }),
    request('iam:CreateUser'),
    'implicit identity-based policy',
  ],
  [
    'resources are case-sensitive',
    set({ identity: [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/Alice' })] }),
    request('iam:GetUser', 'arn:aws:iam::222222222222:user/alice'),
    'implicit identity-based policy',
  ],
  [
    'policy variables in resources',
    set({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
      identity: [doc({ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: 'arn:aws:iam::*:user/${aws:username}' })],
    }),
    request('iam:CreateAccessKey', 'arn:aws:iam::222222222222:user/alice'),
    'allowed',
  ],
  [
    'NotResource',
    set({ identity: [doc({ Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::*:user/root-*' })] }),
    request('iam:DeleteUser', 'arn:aws:iam::222222222222:user/root-admin'),
    'implicit identity-based policy',
  ],
  [
    'explicit deny beats allow',
    set({ identity: [allowAll, doc({ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' })] }),
    request('iam:DeleteUser'),
    'explicit identity-based policy',
  ],
  [
    'StringEquals on a tag',
    set({
      identity: [
        doc({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } },
        }),
      ],
    }),
    request('sso:ListInstances', '*', { 'aws:principaltag/team': 'data' }),
    'implicit identity-based policy',
  ],
  [
    'Bool',
    set({
      identity: [
        allowAll,
        doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ],
    }),
    request('iam:ListUsers', '*', { 'aws:securetransport': 'true' }),
    'allowed',
  ],
  [
    'a missing key fails StringLike and satisfies StringNotLike',
    set({
      identity: [
        doc({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringNotLike: { 'aws:SourceVpc': 'vpc-*' } },
        }),
      ],
    }),
    request('iam:ListUsers'),
    'allowed',
  ],
  [
    'permissions boundary caps identity policies',
    set({ identity: [allowAll], boundary: [doc({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' })] }),
    request('iam:CreateUser'),
    'implicit permissions boundary',
  ],
  [
    'session policy caps the role',
    set({ identity: [allowAll], session: [doc({ Effect: 'Allow', Action: 'sts:*', Resource: '*' })] }),
    request('iam:ListRoles'),
    'implicit session policy',
  ],
  [
    'every SCP level must allow',
    set({
      identity: [allowAll],
      scpLevels: [[allowAll], [doc({ Effect: 'Allow', Action: 'sso:*', Resource: '*' })], [allowAll]],
    }),
    request('iam:ListUsers'),
    'implicit service control policy',
  ],
  [
    'an SCP deny wins over an admin',
    set({ identity: [allowAll], scpLevels: [[allowAll, denyUsersScp], [allowAll]] }),
    request('iam:CreateUser', 'arn:aws:iam::222222222222:user/bob'),
    'explicit service control policy',
  ],
  [
    'ArnNotLike lets Identity Center roles in any region path through',
    set({ identity: [allowAll], principalArn: SSO_ROLE, scpLevels: [[allowAll, denyUsersScp]] }),
    request('iam:CreateUser', 'arn:aws:iam::222222222222:user/bob', { 'aws:PrincipalArn': SSO_ROLE }),
    'allowed',
  ],
  [
    'ArnLike never lets * span the account field',
    set({
      identity: [
        doc({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/alice' } },
        }),
      ],
    }),
    request('iam:ListUsers', '*', { 'aws:PrincipalArn': 'arn:aws:iam::2222:2222:user/alice' }),
    'implicit identity-based policy',
  ],
];

function outcome(policies: PolicySet, req: AuthzRequest): string {
  const d = decide(policies, req);
  return d ? `${d.explicit ? 'explicit' : 'implicit'} ${d.kind}` : 'allowed';
}

describe('sandbox authorization: policy evaluation', () => {
  for (const [name, policies, req, expected] of CASES)
    it(`${name}: ${expected}`, () => assert.equal(outcome(policies, req), expected));

  it('words a denial as AWS does, leaving out the resource of operations that have none', () => {
    const caller = 'arn:aws:iam::222222222222:user/alice';
    assert.equal(
      deniedMessage(caller, request('iam:CreateUser', 'arn:aws:iam::222222222222:user/bob'), {
        explicit: true,
        kind: 'service control policy',
      }),
      `User: ${caller} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::222222222222:user/bob with an explicit deny in a service control policy`,
    );
    assert.equal(
      deniedMessage(caller, request('sso:ListInstances'), { explicit: false, kind: 'identity-based policy' }),
      `User: ${caller} is not authorized to perform: sso:ListInstances because no identity-based policy allows the sso:ListInstances action`,
    );
  });
});
