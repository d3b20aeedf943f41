/**
 * STS AssumeRoleWithSAML (unsigned Query call). The SAMLAssertion is a base64 SAML 2.0 Response; STS checks it
 * against the IAM SAML provider named by PrincipalArn: the signature against the certificates of the provider's
 * metadata (xml-crypto; values are read only from what the signature covers), the Issuer against the metadata's
 * entityID, exactly one SubjectConfirmation whose Recipient is an AWS sign-in SAML endpoint, the audience, NotBefore /
 * NotOnOrAfter on the virtual clock, the `https://aws.amazon.com/SAML/Attributes/Role` values (`roleArn,providerArn`
 * pairs, either order) naming the requested pair, the RoleSessionName attribute, and the role's trust policy for
 * sts:AssumeRoleWithSAML with the SAML:aud / SAML:sub / SAML:iss ... keys.
 * Sources: STS API Reference, API_AssumeRoleWithSAML.html (parameters; response Subject, SubjectType, Issuer,
 * Audience = the Recipient, NameQualifier = Base64(SHA1(Issuer + account id + "/" + provider name)); errors
 * InvalidIdentityToken, ExpiredToken, IDPRejectedClaim); IAM user guide, id_roles_providers_create_saml_assertions.html
 * (Recipient, NotOnOrAfter, the Role, RoleSessionName and SessionDuration attributes, SAML:* context keys);
 * cloudtrail-integration.html (the AssumeRoleWithSAML record: userIdentity type SAMLUser with userName = NameID,
 * requestParameters roleSessionName / principalArn / roleArn). The messages are guesses (GUESSES.md S1).
 */
import { createHash } from 'node:crypto';
import { identitySourceFromMetadata } from '../../saml-sp/identity-source.js';
import {
  attributeOf,
  audiencesOf,
  firstText,
  samlAttributeValues,
  signedContent,
  timeProblem,
} from '../../saml-sp/signed-assertion.js';
import type { SandboxRequest, SandboxResponse } from '../../server/http-types.js';
import type { World } from '../../world/world.js';
import type { QueryParams } from '../context.js';
import { AwsError } from '../errors.js';
import { requireParam } from '../query.js';
import { type FederatedTrail, serveFederatedCall } from './federated-call.js';
import { federatedDuration, issueRoleSession } from './role-session.js';
import { trustAllows } from './trust-policy.js';
import { ROLE_ARN } from './web-identity.js';

const PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.-]{1,128})$/;
/** The SAML attributes AWS reads (IAM user guide, "Configure SAML assertions for the authentication response"). */
export const AWS_SAML_ATTRIBUTES = {
  role: 'https://aws.amazon.com/SAML/Attributes/Role',
  roleSessionName: 'https://aws.amazon.com/SAML/Attributes/RoleSessionName',
  sessionDuration: 'https://aws.amazon.com/SAML/Attributes/SessionDuration',
};
/** https://signin.aws.amazon.com/saml, a regional sign-in endpoint, /static/saml, or /saml/acs/<IdP id>. */
const SIGN_IN = /^https:\/\/(?:[a-z0-9-]+\.)?signin\.aws\.amazon\.com\/(?:static\/)?saml(?:\/acs\/[\w-]+)?$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MAX_ASSERTION = 100_000;

function invalid(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message, 400);
}

/** AWS's NameQualifier: Base64(SHA1(issuer + account id + "/" + provider name)). */
export function nameQualifier(issuer: string, providerArn: string): string {
  const [, accountId, name] = PROVIDER_ARN.exec(providerArn) ?? ['', '', ''];
  return createHash('sha1').update(`${issuer}${accountId}/${name}`).digest('base64');
}

/** NameID format as STS returns SubjectType: the SAML 2.0 prefix dropped (persistent, transient), others whole. */
function subjectTypeOf(format: string | null): string {
  if (!format) return 'unspecified';
  return format.replace(/^urn:oasis:names:tc:SAML:2\.0:nameid-format:/, '');
}

type Read = { assertionId: string; nameId: string; subjectType: string; issuer: string; nameQualifier: string };
type Accepted = Read & { result: Record<string, unknown>; accountId: string; sessionName: string; duration: number };

/** The signed assertion's content, checked against the provider; throws AWS's refusal. */
function readAssertion(world: World, params: QueryParams, providerArn: string): { signed: string; read: Read } {
  const [, providerAccount] = PROVIDER_ARN.exec(providerArn) ?? [];
  const provider = providerAccount && world.accounts.get(providerAccount)?.iam.samlProviders.get(providerArn);
  if (!provider) throw invalid(`SAML provider ${providerArn} does not exist`);
  const encoded = requireParam(params, 'SAMLAssertion');
  if (encoded.length > MAX_ASSERTION) throw new AwsError('ValidationError', 'SAMLAssertion is too long', 400);
  const xml = Buffer.from(encoded, 'base64').toString('utf8');
  if (!/<(?:\w+:)?Assertion\b/.test(xml) || /<!DOCTYPE|<!ENTITY/i.test(xml))
    throw invalid('Invalid SAML response: not a SAML 2.0 Response');
  const metadata = identitySourceFromMetadata(provider.metadataDocument);
  if (typeof metadata === 'string') throw invalid(`The SAML provider metadata cannot be used: ${metadata}`);
  const signed = signedContent(xml, metadata.certificatesPem);
  if (typeof signed !== 'string') throw invalid('Response signature invalid');
  const issuer = firstText(signed, 'Issuer') ?? '';
  if (issuer !== metadata.idpEntityId) throw invalid('Issuer in the SAML response does not match the SAML provider');
  if ((signed.match(/<(?:\w+:)?SubjectConfirmation\b/g) ?? []).length !== 1)
    throw invalid('The SAML response must contain exactly one SubjectConfirmation');
  const recipient = attributeOf(signed, 'SubjectConfirmationData', 'Recipient') ?? '';
  if (!SIGN_IN.test(recipient)) throw invalid(`Invalid SAML response: Recipient "${recipient}" is not AWS sign-in`);
  const audiences = audiencesOf(signed).map((a) => a.replace(/#.*$/, ''));
  if (!audiences.some((a) => a === 'urn:amazon:webservices' || SIGN_IN.test(a)))
    throw invalid('Invalid SAML response: the audience restriction does not name AWS');
  const time = timeProblem(signed, world.clock.now());
  if (time === 'expired') throw new AwsError('ExpiredTokenException', 'Token has expired', 400);
  if (time) throw invalid(time === 'no-expiry' ? 'Assertion has no NotOnOrAfter' : 'Assertion is not yet valid');
  const nameId = firstText(signed, 'NameID');
  if (!nameId) throw invalid('The SAML response has no NameID');
  return {
    signed,
    read: {
      assertionId: attributeOf(signed, 'Assertion', 'ID') ?? '',
      nameId,
      subjectType: subjectTypeOf(attributeOf(signed, 'NameID', 'Format')),
      issuer,
      nameQualifier: nameQualifier(issuer, providerArn),
    },
  };
}

/** The requested (role, provider) pair is among the Role attribute's `roleArn,providerArn` values. */
function rolePairAsserted(signed: string, roleArn: string, providerArn: string): boolean {
  return samlAttributeValues(signed, AWS_SAML_ATTRIBUTES.role).some((value) => {
    const parts = value.split(',').map((p) => p.trim());
    return parts.length === 2 && parts.includes(roleArn) && parts.includes(providerArn);
  });
}

function accept(world: World, params: QueryParams): Accepted {
  const roleArn = requireParam(params, 'RoleArn');
  const providerArn = requireParam(params, 'PrincipalArn');
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw new AwsError('ValidationError', 'Request ARN is invalid', 400);
  const [, accountId, path, roleName] = match;
  const { signed, read } = readAssertion(world, params, providerArn);
  const denied = new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
  if (!rolePairAsserted(signed, roleArn, providerArn)) throw denied;
  const sessionName = samlAttributeValues(signed, AWS_SAML_ATTRIBUTES.roleSessionName)[0];
  if (!sessionName || !SESSION_NAME.test(sessionName))
    throw invalid('The RoleSessionName attribute is missing or not a valid session name');
  const role = world.accounts.get(accountId)?.iam.roles.get(roleName);
  const claims: Record<string, string> = {
    'saml:aud': attributeOf(signed, 'SubjectConfirmationData', 'Recipient') ?? '',
    'saml:sub': read.nameId,
    'saml:sub_type': read.subjectType,
    'saml:iss': read.issuer,
    'saml:namequalifier': read.nameQualifier,
  };
  const requester = { accountId, arn: '', mfaPresent: false, federated: { providerArn, claims } };
  if (!role || role.path !== path || !trustAllows(role.assumeRolePolicyDocument, requester, 'sts:AssumeRoleWithSAML'))
    throw denied;
  const asked = params.get('DurationSeconds') ?? samlAttributeValues(signed, AWS_SAML_ATTRIBUTES.sessionDuration)[0];
  const duration = federatedDuration(asked, role);
  const session = issueRoleSession(world, accountId, role, sessionName, duration, providerArn, world.region);
  const result = {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
    Subject: read.nameId,
    SubjectType: read.subjectType,
    Issuer: read.issuer,
    Audience: claims['saml:aud'],
    NameQualifier: read.nameQualifier,
  };
  return { ...read, result, accountId, sessionName, duration };
}

/** The SAMLUser record: userName is the NameID, the session name is in requestParameters. */
function trailOf(params: QueryParams, ok: Accepted | null): FederatedTrail | null {
  const accountId = ok?.accountId ?? ROLE_ARN.exec(params.get('RoleArn') ?? '')?.[1];
  if (!accountId) return null;
  const credentials = ok?.result.Credentials as Record<string, string> | undefined;
  return {
    accountId,
    userIdentity: ok
      ? {
          type: 'SAMLUser',
          principalId: `${ok.nameQualifier}:${ok.nameId}`,
          userName: ok.nameId,
          identityProvider: ok.nameQualifier,
        }
      : { type: 'SAMLUser' },
    requestParameters: {
      ...(ok ? { sAMLAssertionID: ok.assertionId, roleSessionName: ok.sessionName, durationSeconds: ok.duration } : {}),
      roleArn: params.get('RoleArn'),
      principalArn: params.get('PrincipalArn'),
    },
    responseElements: ok
      ? {
          subjectType: ok.subjectType,
          issuer: ok.issuer,
          credentials: { accessKeyId: credentials?.AccessKeyId, expiration: credentials?.Expiration },
          nameQualifier: ok.nameQualifier,
          assumedRoleUser: ok.result.AssumedRoleUser,
          subject: ok.nameId,
          audience: ok.result.Audience,
        }
      : null,
  };
}

/** The unsigned AssumeRoleWithSAML handler of the AWS route. */
export async function assumeRoleWithSaml(
  world: World,
  request: SandboxRequest,
  params: QueryParams,
): Promise<SandboxResponse> {
  return serveFederatedCall(world, request, params, 'AssumeRoleWithSAML', accept, (ok) => trailOf(params, ok));
}
