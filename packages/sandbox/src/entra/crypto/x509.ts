/**
 * Self-signed X.509 certificates (RSA 2048, SHA-256) made with node:crypto and a small DER encoder:
 * SAML token signing certificates, client certificates in tests, and the sandbox's TLS certificate.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIPv4 } from 'node:net';
import * as der from './der.js';

export type CertificateOptions = {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** Marks the certificate as a CA (so it can be its own trust anchor for TLS). */
  ca?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** An existing key pair; a new RSA 2048 pair is made otherwise. */
  keys?: { privateKey: KeyObject; publicKey: KeyObject };
};

export type IssuedCertificate = {
  certificatePem: string;
  privateKeyPem: string;
  /** DER of the certificate, base64 (what SAML metadata and Graph keyCredentials carry). */
  certificateBase64: string;
  /** SHA-1 of the DER, upper-case hex: Entra's certificate thumbprint. */
  thumbprint: string;
};

const SHA256_WITH_RSA = der.sequence(der.oid('1.2.840.113549.1.1.11'), der.NULL);

function name(commonName: string): Buffer {
  return der.sequence(der.set(der.sequence(der.oid('2.5.4.3'), der.utf8(commonName))));
}

function extension(oidText: string, critical: boolean, value: Buffer): Buffer {
  const parts = [der.oid(oidText)];
  if (critical) parts.push(der.boolean(true));
  parts.push(der.octetString(value));
  return der.sequence(...parts);
}

function extensions(options: CertificateOptions): Buffer | null {
  const list: Buffer[] = [];
  if (options.ca) {
    list.push(extension('2.5.29.19', true, der.sequence(der.boolean(true))));
    // digitalSignature, keyEncipherment, keyCertSign (2 unused bits)
    list.push(extension('2.5.29.15', true, der.tlv(0x03, Buffer.from([2, 0xa4]))));
  }
  const alt: Buffer[] = [];
  for (const dns of options.dnsNames ?? []) alt.push(der.tlv(0x82, Buffer.from(dns, 'ascii')));
  for (const ip of options.ipAddresses ?? []) {
    if (isIPv4(ip)) alt.push(der.tlv(0x87, Buffer.from(ip.split('.').map(Number))));
  }
  if (alt.length) list.push(extension('2.5.29.17', false, der.sequence(...alt)));
  return list.length ? der.explicit(3, der.sequence(...list)) : null;
}

/** Makes a self-signed certificate and returns it with its private key (PKCS#8 PEM). */
export function createSelfSignedCertificate(options: CertificateOptions): IssuedCertificate {
  const keys = options.keys ?? generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const parts = [
    der.explicit(0, der.integer(2)),
    der.integer(serial),
    SHA256_WITH_RSA,
    name(options.commonName),
    der.sequence(der.time(options.notBefore), der.time(options.notAfter)),
    name(options.commonName),
    keys.publicKey.export({ type: 'spki', format: 'der' }),
  ];
  const ext = extensions(options);
  if (ext) parts.push(ext);
  const tbs = der.sequence(...parts);
  const signature = sign('sha256', tbs, keys.privateKey);
  const certificate = der.sequence(tbs, SHA256_WITH_RSA, der.bitString(signature));
  const certificateBase64 = certificate.toString('base64');
  return {
    certificatePem: toPem(certificateBase64),
    privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificateBase64,
    thumbprint: createHash('sha1').update(certificate).digest('hex').toUpperCase(),
  };
}

/** Wraps base64 DER in PEM CERTIFICATE armour. */
export function toPem(base64: string): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The base64 DER inside a PEM certificate (or the input itself when it is already bare base64). */
export function pemToBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** SHA-1 thumbprint (upper-case hex) of a certificate given as PEM or base64 DER. */
export function thumbprintOf(pemOrBase64: string): string {
  return createHash('sha1')
    .update(Buffer.from(pemToBase64(pemOrBase64), 'base64'))
    .digest('hex')
    .toUpperCase();
}

/** Parses a certificate (PEM or base64 DER) with node:crypto; throws when it is not one. */
export function parseCertificate(pemOrBase64: string): X509Certificate {
  return new X509Certificate(Buffer.from(pemToBase64(pemOrBase64), 'base64'));
}
