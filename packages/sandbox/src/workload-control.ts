/**
 * Control endpoints for what happens outside the APIs in real AWS, so tests and `iam2sso breakglass test` can
 * act it out: a person signing in to the console as an IAM user (`POST /_sandbox/console-signin`), GitHub Actions
 * minting an OIDC token for a workflow run (`POST /_sandbox/oidc/github/token`, `GET /_sandbox/oidc/github/jwks`),
 * an AWS service handing a workload its role's credentials as EC2's instance metadata, ECS or Lambda do
 * (`POST /_sandbox/workload-credentials`), and the SNS delivery log (`GET /_sandbox/sns/deliveries?topicArn=`).
 */
import { snsStateOf } from './aws/sns/state.js';
import { githubJwks, mintGithubToken } from './aws/sts/github-issuer.js';
import { issueRoleSession } from './aws/sts/role-session.js';
import { trustAllows } from './aws/sts/trust-policy.js';
import { recordConsoleSignIn } from './aws/trail-recorder.js';
import type { SandboxContext } from './sandbox-context.js';
import type { Route, SandboxRequest, SandboxResponse } from './server/http-types.js';

const PATHS = new Set([
  '/_sandbox/console-signin',
  '/_sandbox/oidc/github/token',
  '/_sandbox/oidc/github/jwks',
  '/_sandbox/workload-credentials',
  '/_sandbox/sns/deliveries',
]);
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

function json(status: number, value: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

type Body = Record<string, unknown>;

/** Signs in to the console as an IAM user: checks the password, records ConsoleLogin (success or failure). */
function consoleSignIn(sandbox: SandboxContext, request: SandboxRequest, body: Body): SandboxResponse {
  const { world } = sandbox;
  const accountId = String(body.accountId ?? '');
  const userName = String(body.userName ?? '');
  const account = world.accounts.get(accountId);
  if (!account) return json(404, { error: 'NotFound', message: `no account ${accountId}` });
  const user = account.iam.users.get(userName);
  const profile = user?.loginProfile;
  const success = !!profile && profile.password === body.password;
  const mfaUsed = success && !!user && user.mfaDevices.length > 0 && /^\d{6}$/.test(String(body.mfaCode ?? ''));
  const mfaMissing = success && !!user && user.mfaDevices.length > 0 && !mfaUsed;
  recordConsoleSignIn(world, {
    accountId,
    userName: user ? userName : null,
    success: success && !mfaMissing,
    mfaUsed,
    sourceIp: request.sourceIp,
    userAgent: String(request.headers['user-agent'] ?? 'Mozilla/5.0'),
    knownUser: !!user,
  });
  if (!success)
    return json(401, { error: 'AuthenticationFailed', message: 'Your authentication information is incorrect.' });
  if (mfaMissing) return json(401, { error: 'MfaRequired', message: 'this user has an MFA device: give mfaCode' });
  return json(200, { signedIn: true, mfaUsed, passwordResetRequired: profile!.passwordResetRequired });
}

/** Credentials of a role for a workload, as the AWS service trusted by the role hands them out. */
function workloadCredentials(sandbox: SandboxContext, body: Body): SandboxResponse {
  const { world } = sandbox;
  const service = String(body.service ?? '');
  const match = ROLE_ARN.exec(String(body.roleArn ?? ''));
  if (!/^[a-z0-9-]+\.amazonaws\.com$/.test(service) || !match)
    return json(400, { error: 'BadRequest', message: 'give roleArn and service (e.g. ec2.amazonaws.com)' });
  const [, accountId, path, roleName] = match;
  const role = world.accounts.get(accountId)?.iam.roles.get(roleName);
  if (!role || role.path !== path) return json(404, { error: 'NoSuchEntity', message: `no role ${body.roleArn}` });
  if (!trustAllows(role.assumeRolePolicyDocument, { accountId, arn: '', mfaPresent: false, service }))
    return json(403, { error: 'AccessDenied', message: `${service} is not trusted by ${body.roleArn}` });
  const sessionName = String(body.sessionName ?? 'i-0123456789abcdef0');
  const session = issueRoleSession(world, accountId, role, sessionName, 3600, service, world.region);
  return json(200, {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    Token: session.sessionToken,
    Expiration: session.expiration.toISOString(),
    Arn: session.arn,
  });
}

/** The route of these control endpoints (placed before the general control route). */
export function createWorkloadControlRoute(sandbox: SandboxContext): Route {
  return {
    name: 'workload-control',
    matches: (request) => PATHS.has(request.url.pathname),
    handle: (request) => {
      const path = request.url.pathname;
      let body: Body;
      try {
        body = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
      } catch {
        return json(400, { error: 'BadRequest', message: 'the body is not JSON' });
      }
      if (path === '/_sandbox/sns/deliveries') {
        const topic = request.url.searchParams.get('topicArn');
        const all = snsStateOf(sandbox.world).deliveries;
        return json(200, { deliveries: topic ? all.filter((d) => d.topicArn === topic) : all });
      }
      if (path === '/_sandbox/oidc/github/jwks') return json(200, githubJwks());
      if (request.method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'POST' });
      if (path === '/_sandbox/console-signin') return consoleSignIn(sandbox, request, body);
      if (path === '/_sandbox/workload-credentials') return workloadCredentials(sandbox, body);
      if (typeof body.repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(body.repository))
        return json(400, { error: 'BadRequest', message: 'give repository as OWNER/REPO' });
      const token = mintGithubToken(
        {
          repository: body.repository,
          ref: typeof body.ref === 'string' ? body.ref : undefined,
          environment: typeof body.environment === 'string' ? body.environment : undefined,
          audience: typeof body.audience === 'string' ? body.audience : undefined,
          lifetimeSeconds: typeof body.lifetimeSeconds === 'number' ? body.lifetimeSeconds : undefined,
        },
        sandbox.world.clock.now(),
      );
      return json(200, { token });
    },
  };
}
