/**
 * What the sign-in path of the sandbox remembers: Identity Center's identity source (the external IdP's entity ID,
 * sign-in URL and signing certificates, set in the console in real AWS), the tenant's MFA rule, and the sessions
 * and grants of the portal and of the OIDC service the AWS CLI uses (clients, device codes, authorization codes,
 * access and refresh tokens). Kept per Identity Center instance; created on first use.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SsoState } from '../world/sso-state.js';
import type { World } from '../world/world.js';

/** Identity Center's settings for an external SAML identity provider. */
export type IdentitySource = {
  /** The IdP's issuer (Entra: `https://sts.windows.net/{tenant}/`). */
  idpEntityId: string;
  /** Where the portal sends an AuthnRequest (Entra: `https://login.microsoftonline.com/{tenant}/saml2`). */
  idpSignInUrl: string;
  /** PEM certificates an assertion's signature may verify against (two during a rollover). */
  certificatesPem: string[];
};

export type OidcClient = {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  redirectUris: string[];
  issuedAt: Date;
  secretExpiresAt: Date;
};

export type DeviceAuthorization = {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAt: Date;
  intervalSeconds: number;
  lastPollMs: number | null;
  /** The Identity Store user who approved it, or 'denied'. */
  approvedBy: string | null | 'denied';
  used: boolean;
};

export type AuthorizationCode = {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  userId: string;
  expiresAt: Date;
  used: boolean;
};

/** A bearer token of the portal API: from the CLI's CreateToken or the portal's own sign-in cookie. */
export type AccessToken = { token: string; userId: string; clientId: string | null; expiresAt: Date };

export type RefreshToken = { token: string; userId: string; clientId: string; scopes: string[] };

export type SigninState = {
  identitySource: IdentitySource | null;
  /** The Entra tenant requires a second factor (TOTP) at sign-in. */
  mfaRequired: boolean;
  clients: Map<string, OidcClient>;
  devices: Map<string, DeviceAuthorization>;
  codes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  /** Entra sign-ins waiting for their second factor, by flow token. */
  pendingMfa: Map<string, { upn: string; expiresAt: Date }>;
  /** AuthnRequest ids the portal sent, so a response answering another request is refused. */
  authnRequests: Set<string>;
};

const states = new WeakMap<SsoState, SigninState>();

/** The sign-in state of the world's Identity Center instance. */
export function signinStateOf(world: World): SigninState {
  const sso = world.sso;
  if (!sso) throw new Error('sandbox: Identity Center is not enabled in this world');
  let state = states.get(sso);
  if (!state) {
    state = {
      identitySource: null,
      mfaRequired: false,
      clients: new Map(),
      devices: new Map(),
      codes: new Map(),
      accessTokens: new Map(),
      refreshTokens: new Map(),
      pendingMfa: new Map(),
      authnRequests: new Set(),
    };
    states.set(sso, state);
  }
  return state;
}

/** An opaque random token (base64url), drawn from crypto so the scenario's seeded source never moves. */
export function randomToken(bytes: number, prefix = ''): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** A short hex digest, for stable derived values. */
export function digest(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
