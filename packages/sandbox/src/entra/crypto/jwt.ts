/** Compact JWS (RS256) signing and verification with node:crypto, for access tokens and client assertions. */
import { constants, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export type JwtHeader = { alg: string; typ?: string; kid?: string; x5t?: string; 'x5t#S256'?: string };

// biome-ignore lint/suspicious/noExplicitAny: JWT claims are arbitrary JSON
export type JwtClaims = Record<string, any>;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs claims as an RS256 JWT with the given header fields. */
export function signJwt(claims: JwtClaims, privateKey: KeyObject | string, header: Omit<JwtHeader, 'alg'>): string {
  const input = `${b64url({ typ: 'JWT', alg: 'RS256', ...header })}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** Splits a JWT without checking it; null when it is not three base64url JSON parts. */
export function decodeJwt(
  token: string,
): { header: JwtHeader; claims: JwtClaims; input: string; signature: Buffer } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
      claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
      input: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return null;
  }
}

/**
 * True when the JWT is RS256 or PS256 (msal-node signs client assertions with PS256) and its signature
 * verifies with the public key (or certificate PEM).
 */
export function verifyJwtSignature(token: string, publicKey: KeyObject | string): boolean {
  const decoded = decodeJwt(token);
  if (!decoded) return false;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const input = Buffer.from(decoded.input);
  if (decoded.header.alg === 'RS256') return verify('sha256', input, key, decoded.signature);
  if (decoded.header.alg === 'PS256') {
    const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    return verify('sha256', input, pss, decoded.signature);
  }
  return false;
}
