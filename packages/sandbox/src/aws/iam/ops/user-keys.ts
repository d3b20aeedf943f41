/** A user's other credentials: SSH public keys, signing certificates, service-specific credentials. */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { makeAwsId, makeSecret } from '../../../rng.js';
import type { ServiceSpecificCredential, SigningCertificate, SshPublicKey } from '../../../world/iam-state.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { type IamScope, requireUser } from './scope.js';

/** SSH public keys per user. */
export const SSH_KEYS_PER_USER = 5;
/** Signing certificates per user. */
export const CERTIFICATES_PER_USER = 2;
/** Service-specific credentials per user and service. */
export const SERVICE_CREDENTIALS_PER_SERVICE = 2;
/** Services that issue service-specific credentials. */
export const CREDENTIAL_SERVICES = ['codecommit.amazonaws.com', 'cassandra.amazonaws.com', 'bedrock.amazonaws.com'];

function sshKeyBlob(body: string): Buffer | undefined {
  const text = body.trim();
  const m = /^ssh-rsa\s+([A-Za-z0-9+/]+={0,2})(\s.*)?$/.exec(text);
  if (m) {
    const blob = Buffer.from(m[1], 'base64');
    return blob.subarray(4, 11).toString() === 'ssh-rsa' ? blob : undefined;
  }
  const pem = /^-----BEGIN (RSA )?PUBLIC KEY-----([\s\S]+)-----END (RSA )?PUBLIC KEY-----$/.exec(text);
  return pem ? Buffer.from(pem[2].replace(/\s+/g, ''), 'base64') : undefined;
}

function sshString(parts: Buffer[]): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(p.length);
      return [len, p];
    }),
  );
}

function mpint(b64url: string): Buffer {
  const b = Buffer.from(b64url, 'base64url');
  return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
}

function readSshStrings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o + 4 <= blob.length; ) {
    const len = blob.readUInt32BE(o);
    out.push(blob.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return out;
}

/** A stored SSH public key in the encoding GetSSHPublicKey asks for (`SSH`: ssh-rsa line, `PEM`: SPKI PEM). */
export function encodeSshPublicKey(body: string, encoding: 'SSH' | 'PEM'): string {
  const isPem = body.startsWith('-----BEGIN');
  if ((encoding === 'PEM') === isPem) return body;
  if (isPem) {
    const jwk = createPublicKey(body).export({ format: 'jwk' });
    const blob = sshString([Buffer.from('ssh-rsa'), mpint(jwk.e ?? ''), mpint(jwk.n ?? '')]);
    return `ssh-rsa ${blob.toString('base64')}`;
  }
  const [, e, n] = readSshStrings(Buffer.from(body.split(/\s+/)[1], 'base64'));
  const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b).toString('base64url');
  const key = createPublicKey({ key: { kty: 'RSA', e: strip(e), n: strip(n) }, format: 'jwk' });
  return key.export({ type: 'spki', format: 'pem' }).toString().trim();
}

/** Uploads an SSH public key (ssh-rsa or PEM) for a user. */
export function uploadSshPublicKey(scope: IamScope, userName: string, body: string, uploadDate?: Date): SshPublicKey {
  const user = requireUser(scope.account.iam, userName);
  const blob = sshKeyBlob(body);
  if (!blob) throw new AwsError('InvalidPublicKey', 'The SSH public key is invalid.', 400);
  const fingerprint = (createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':');
  if (user.sshPublicKeys.some((k) => k.fingerprint === fingerprint))
    throw new AwsError('DuplicateSSHPublicKey', 'The SSH public key is already associated with the user.', 400);
  if (user.sshPublicKeys.length >= SSH_KEYS_PER_USER)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for KeyPairsPerUser: ${SSH_KEYS_PER_USER}`, 409);
  const key: SshPublicKey = {
    sshPublicKeyId: makeAwsId(scope.world.rng, 'APKA'),
    body: body.trim(),
    fingerprint,
    status: 'Active',
    uploadDate: uploadDate ?? scope.world.clock.now(),
  };
  user.sshPublicKeys.push(key);
  return key;
}

/** A user's SSH key, or NoSuchEntity. */
export function requireSshPublicKey(scope: IamScope, userName: string, id: string): SshPublicKey {
  const key = requireUser(scope.account.iam, userName).sshPublicKeys.find((k) => k.sshPublicKeyId === id);
  if (!key) throw noSuchEntity(`The Public Key with id ${id} cannot be found.`);
  return key;
}

/** Deletes a user's SSH key. */
export function deleteSshPublicKey(scope: IamScope, userName: string, id: string): void {
  const user = requireUser(scope.account.iam, userName);
  requireSshPublicKey(scope, userName, id);
  user.sshPublicKeys = user.sshPublicKeys.filter((k) => k.sshPublicKeyId !== id);
}

/** Uploads an X.509 signing certificate (PEM) for a user. */
export function uploadSigningCertificate(
  scope: IamScope,
  userName: string,
  body: string,
  uploadDate?: Date,
): SigningCertificate {
  const user = requireUser(scope.account.iam, userName);
  try {
    new X509Certificate(body);
  } catch {
    throw new AwsError('MalformedCertificate', 'The certificate is malformed or not in PEM format.', 400);
  }
  const normal = body.trim();
  if (user.signingCertificates.some((c) => c.body === normal))
    throw new AwsError('DuplicateCertificate', 'The same certificate is already uploaded for this user.', 409);
  if (user.signingCertificates.length >= CERTIFICATES_PER_USER)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for CertificatesPerUser: ${CERTIFICATES_PER_USER}`, 409);
  const cert: SigningCertificate = {
    certificateId: scope.world.rng.chars(28, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
    body: normal,
    status: 'Active',
    uploadDate: uploadDate ?? scope.world.clock.now(),
  };
  user.signingCertificates.push(cert);
  return cert;
}

/** A user's signing certificate, or NoSuchEntity. */
export function requireSigningCertificate(scope: IamScope, userName: string, id: string): SigningCertificate {
  const cert = requireUser(scope.account.iam, userName).signingCertificates.find((c) => c.certificateId === id);
  if (!cert) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
  return cert;
}

/** Deletes a user's signing certificate. */
export function deleteSigningCertificate(scope: IamScope, userName: string, id: string): void {
  const user = requireUser(scope.account.iam, userName);
  requireSigningCertificate(scope, userName, id);
  user.signingCertificates = user.signingCertificates.filter((c) => c.certificateId !== id);
}

/** Creates a service-specific credential (CodeCommit, Keyspaces, Bedrock) with a generated password. */
export function createServiceSpecificCredential(
  scope: IamScope,
  userName: string,
  serviceName: string,
  createDate?: Date,
): ServiceSpecificCredential {
  const user = requireUser(scope.account.iam, userName);
  if (!CREDENTIAL_SERVICES.includes(serviceName))
    throw new AwsError(
      'NotSupportedService',
      `No such service ${serviceName} is supported for Service Specific Credentials`,
      404,
    );
  if (
    user.serviceSpecificCredentials.filter((c) => c.serviceName === serviceName).length >=
    SERVICE_CREDENTIALS_PER_SERVICE
  )
    throw new AwsError(
      'LimitExceeded',
      `Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${SERVICE_CREDENTIALS_PER_SERVICE}`,
      409,
    );
  const cred: ServiceSpecificCredential = {
    serviceSpecificCredentialId: makeAwsId(scope.world.rng, 'ACCA'),
    serviceName,
    serviceUserName: `${user.userName}-at-${scope.account.id}`,
    servicePassword: makeSecret(scope.world.rng),
    status: 'Active',
    createDate: createDate ?? scope.world.clock.now(),
  };
  user.serviceSpecificCredentials.push(cred);
  return cred;
}

/** A user's service-specific credential, or NoSuchEntity. */
export function requireServiceSpecificCredential(
  scope: IamScope,
  userName: string,
  id: string,
): ServiceSpecificCredential {
  const cred = requireUser(scope.account.iam, userName).serviceSpecificCredentials.find(
    (c) => c.serviceSpecificCredentialId === id,
  );
  if (!cred) throw noSuchEntity(`No such credential ${id} exists`);
  return cred;
}

/** Gives a service-specific credential a new password. */
export function resetServiceSpecificCredential(
  scope: IamScope,
  userName: string,
  id: string,
): ServiceSpecificCredential {
  const cred = requireServiceSpecificCredential(scope, userName, id);
  cred.servicePassword = makeSecret(scope.world.rng);
  return cred;
}

/** Deletes a service-specific credential. */
export function deleteServiceSpecificCredential(scope: IamScope, userName: string, id: string): void {
  const user = requireUser(scope.account.iam, userName);
  requireServiceSpecificCredential(scope, userName, id);
  user.serviceSpecificCredentials = user.serviceSpecificCredentials.filter((c) => c.serviceSpecificCredentialId !== id);
}
