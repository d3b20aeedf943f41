/**
 * The sandbox's stand-in for GitHub Actions' OIDC issuer (`https://token.actions.githubusercontent.com`): it signs
 * ID tokens (RS256) with a key of its own and publishes its JWKS, and STS verifies tokens against that key the way
 * AWS verifies them against GitHub's published keys. Claims as GitHub documents them ("About security hardening
 * with OpenID Connect", docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/
 * about-security-hardening-with-openid-connect): `sub` is `repo:OWNER/REPO:ref:refs/heads/BRANCH` (or
 * `repo:OWNER/REPO:environment:NAME`), `aud` defaults to `sts.amazonaws.com` with aws-actions/configure-aws-credentials.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { signJwt, verifyJwtSignature } from '../../entra/crypto/jwt.js';

/** GitHub Actions' issuer. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

let keys: { publicKey: KeyObject; privateKey: KeyObject; kid: string } | undefined;

/** One key pair per process: generating an RSA key costs a noticeable fraction of a second. */
function issuerKeys() {
  if (!keys) keys = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }), kid: randomUUID() };
  return keys;
}

/** What a workflow run's token says about it. */
export type WorkflowRun = {
  repository: string;
  /** `refs/heads/main` (a branch) or `refs/tags/v1`. */
  ref?: string;
  environment?: string;
  audience?: string;
  /** Seconds the token is valid (GitHub: a few minutes). */
  lifetimeSeconds?: number;
};

/** Signs a GitHub Actions ID token for the run, valid from `now`. */
export function mintGithubToken(run: WorkflowRun, now: Date): string {
  const { privateKey, kid } = issuerKeys();
  const ref = run.ref ?? 'refs/heads/main';
  const iat = Math.floor(now.getTime() / 1000);
  const sub = run.environment
    ? `repo:${run.repository}:environment:${run.environment}`
    : `repo:${run.repository}:ref:${ref}`;
  return signJwt(
    {
      iss: GITHUB_ISSUER,
      aud: run.audience ?? 'sts.amazonaws.com',
      sub,
      repository: run.repository,
      repository_owner: run.repository.split('/')[0],
      ref,
      ...(run.environment ? { environment: run.environment } : {}),
      jti: randomUUID(),
      iat,
      nbf: iat - 5,
      exp: iat + (run.lifetimeSeconds ?? 300),
    },
    privateKey,
    { kid },
  );
}

/** True when the token was signed by this issuer. */
export function verifyGithubToken(token: string): boolean {
  return verifyJwtSignature(token, issuerKeys().publicKey);
}

/** The issuer's JWKS (what `/.well-known/jwks` serves at GitHub). */
export function githubJwks(): unknown {
  const { publicKey, kid } = issuerKeys();
  const jwk = createPublicKey(publicKey).export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: jwk.n, e: jwk.e }] };
}
