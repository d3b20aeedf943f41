/** The tenant's access-token signing key, published as a JWKS the way Entra publishes its keys. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { TokenSigningKey } from '../../world/entra-state.js';
import { createSelfSignedCertificate } from '../crypto/x509.js';

/**
 * One RSA key pair per process for token signing: generating a 2048-bit key costs about half a second,
 * and every sandbox world built in a process (tests build many) would otherwise pay it again.
 */
let processKeys: { publicKey: KeyObject; privateKey: KeyObject } | undefined;

function processSigningKeys(): { publicKey: KeyObject; privateKey: KeyObject } {
  if (!processKeys) processKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return processKeys;
}

/** Makes a signing key with a self-signed certificate; its kid is the certificate's base64url SHA-1 (x5t). */
export function createTokenSigningKey(now: Date): TokenSigningKey {
  const cert = createSelfSignedCertificate({
    commonName: 'accounts.accesscontrol.windows.net',
    keys: processSigningKeys(),
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 5 * 365 * 86_400_000),
  });
  const kid = createHash('sha1').update(Buffer.from(cert.certificateBase64, 'base64')).digest('base64url');
  return { kid, privateKeyPem: cert.privateKeyPem, certificateBase64: cert.certificateBase64 };
}

/** The JWKS document (`keys` with kty, use, kid, x5t, n, e, x5c) for a signing key. */
export function jwksOf(key: TokenSigningKey, issuer: string): unknown {
  const jwk = createPublicKey(createPrivateKey(key.privateKeyPem)).export({ format: 'jwk' });
  return {
    keys: [
      { kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e, x5c: [key.certificateBase64], issuer },
    ],
  };
}
