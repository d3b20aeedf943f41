/**
 * An HTTPS front for the sandbox. msal-node (inside @azure/identity) refuses authorities that are not https,
 * and the Microsoft Graph client only sends its token to https hosts, so Entra clients talk to this port:
 * it terminates TLS with a self-signed certificate (clients trust it as a CA) and pipes the bytes to the
 * plain HTTP server, which serves the same routes.
 */
import { connect, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { createSelfSignedCertificate } from './crypto/x509.js';

export type TlsFront = { url: string; port: number; certificatePem: string; close(): Promise<void> };

/** Listens on host:port (0 picks a free port) and forwards every connection to the HTTP server at targetPort. */
export async function startTlsFront(targetPort: number, host = '127.0.0.1', port = 0): Promise<TlsFront> {
  const now = Date.now();
  const cert = createSelfSignedCertificate({
    commonName: 'iam2sso sandbox',
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 825 * 86_400_000),
    ca: true,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const sockets = new Set<Socket>();
  const server = createServer({ key: cert.privateKeyPem, cert: cert.certificatePem }, (client: TLSSocket) => {
    const upstream = connect(targetPort, host);
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `https://${host}:${actual}`,
    port: actual,
    certificatePem: cert.certificatePem,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
