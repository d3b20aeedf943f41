/**
 * Ordinary situations that surface as Node, SQLite, TLS or YAML errors (a full disk, a directory where a file
 * was expected, a port in use, an untrusted certificate, a reset connection, ...) turned into one line that says
 * what happened and what to do, with the exit code: 2 for a bad argument, 1 for the rest. Anything not matched
 * here is a bug (exit 70).
 */

/** A recognised condition: the message, what to do, and the exit code. */
export type Condition = { message: string; hint: string; exitCode: 1 | 2; code: string };

type NodeError = Error & {
  code?: string;
  hostname?: string;
  path?: string;
  syscall?: string;
  input?: string;
  port?: number;
  address?: string;
  cause?: unknown;
};

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The error and its causes (fetch, @azure/identity and the SDKs wrap the network error that explains it). */
function chain(error: unknown): NodeError[] {
  const out: NodeError[] = [];
  let e: unknown = error;
  while (e instanceof Error && out.length < 8) {
    out.push(e as NodeError);
    e = (e as NodeError).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return out;
}

function hostOf(text: string): string | undefined {
  return /(https?:\/\/[^\s'"/]+)/.exec(text)?.[1];
}

function fileCondition(e: NodeError): Condition | undefined {
  const path = e.path ?? 'a file';
  switch (e.code) {
    case 'ENOSPC':
      return {
        code: e.code,
        exitCode: 1,
        message: `no space left on the device writing ${path}`,
        hint: 'free some disk space (or write elsewhere) and run the same command again',
      };
    case 'EDQUOT':
      return {
        code: e.code,
        exitCode: 1,
        message: `disk quota exceeded writing ${path}`,
        hint: 'free some space and run the same command again',
      };
    case 'EACCES':
    case 'EPERM':
      return {
        code: e.code,
        exitCode: 1,
        message: `permission denied: ${path}`,
        hint: `check the permissions of ${path} (and its directory), or choose another path`,
      };
    case 'EISDIR':
      return {
        code: e.code,
        exitCode: 2,
        message: `${path} is a directory, not a file`,
        hint: 'give the path of a file (e.g. add a file name to the directory)',
      };
    case 'ENOTDIR':
      return {
        code: e.code,
        exitCode: 2,
        message: `a part of ${path} is a file, not a directory`,
        hint: 'give a path whose directories exist',
      };
    case 'EEXIST':
      return {
        code: e.code,
        exitCode: 2,
        message: `${path} already exists and is not a directory`,
        hint: 'give the path of a directory, or a new path',
      };
    case 'ENOENT':
      return {
        code: e.code,
        exitCode: 2,
        message: `${path} does not exist`,
        hint: 'check the path (and create its directory first when writing)',
      };
    case 'EROFS':
      return {
        code: e.code,
        exitCode: 1,
        message: `${path} is on a read-only file system`,
        hint: 'choose a writable path',
      };
    default:
      return undefined;
  }
}

function networkCondition(e: NodeError, text: string): Condition | undefined {
  const where = e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : (hostOf(text) ?? 'the server');
  if (e.code === 'EADDRINUSE')
    return {
      code: e.code,
      exitCode: 1,
      message: `port ${e.port ?? ''} is already in use`.replace('port  ', 'the port '),
      hint: 'pick another port with --port (0 picks a free one) or stop what listens there',
    };
  if (e.code === 'ECONNRESET')
    return {
      code: e.code,
      exitCode: 1,
      message: `the connection to ${where} was reset`,
      hint: 'check the network, proxy or endpoint, then run the same command again',
    };
  if (e.code === 'ECONNREFUSED')
    return {
      code: e.code,
      exitCode: 1,
      message: `nothing answers at ${where} (connection refused)`,
      hint: 'check the endpoint URL and that the service (or sandbox) is running',
    };
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
    return {
      code: e.code,
      exitCode: 1,
      message: `the host name ${e.hostname ?? where} does not resolve`,
      hint: 'check the endpoint URL and the network (DNS, proxy)',
    };
  if (e.code === 'ETIMEDOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT')
    return {
      code: e.code,
      exitCode: 1,
      message: `no answer from ${where} in time`,
      hint: 'check the network and proxy, then run the same command again',
    };
  if (e.code && TLS_CODES.has(e.code))
    return {
      code: e.code,
      exitCode: 1,
      message: `the TLS certificate of ${where} is not trusted (${e.code})`,
      hint: 'if it is your proxy or sandbox, point NODE_EXTRA_CA_CERTS at its CA certificate file; otherwise check the endpoint',
    };
  return undefined;
}

/** Recognises an ordinary condition in an error (or one of its causes); undefined for anything else. */
export function recognise(error: unknown): Condition | undefined {
  const entra = (error as { entraCondition?: Omit<Condition, 'exitCode'> } | undefined)?.entraCondition;
  if (entra) return { ...entra, exitCode: 1 };
  const errors = chain(error);
  const text = errors.map((e) => e.message).join(' | ');
  for (const e of errors) {
    const found = fileCondition(e) ?? networkCondition(e, text);
    if (found) return found;
    if (e.code === 'ERR_INVALID_URL')
      return {
        code: e.code,
        exitCode: 2,
        message: `"${e.input ?? ''}" is not a valid URL`,
        hint: 'give a full URL such as https://host:port (for --endpoint-url, AWS_ENDPOINT_URL or a Graph endpoint)',
      };
    if (e.code === 'SQLITE_CORRUPT' || e.code === 'SQLITE_NOTADB')
      return {
        code: e.code,
        exitCode: 1,
        message: `the state database ${e.path ?? ''} is damaged or is not an iam2sso database`.replace('  ', ' '),
        hint: 'move it aside (or restore a backup) and run `iam2sso audit` again, or pass --state to use another file',
      };
    if (e.code === 'SQLITE_CANTOPEN')
      return {
        code: e.code,
        exitCode: 1,
        message: `cannot open the state database ${e.path ?? ''}`.trim(),
        hint: 'give --state the path of a file (not a directory) in a writable directory',
      };
    if (e.code === 'SQLITE_FULL')
      return {
        code: e.code,
        exitCode: 1,
        message: `no space left on the device writing ${e.path ?? 'the state database'}`,
        hint: 'free some disk space and run the same command again',
      };
    if (/newer than this iam2sso knows/.test(e.message))
      return {
        code: 'STATE_TOO_NEW',
        exitCode: 1,
        message: e.message.replace(/: upgrade iam2sso$/, ''),
        hint: 'upgrade iam2sso, or pass --state to use another file',
      };
    if (/Excessive alias count/i.test(e.message))
      return {
        code: 'YAML_ALIAS_LIMIT',
        exitCode: 1,
        message: 'a YAML file expands too many aliases (refused: it could exhaust memory)',
        hint: 'write the file without anchors and aliases (&name / *name)',
      };
  }
  // @azure/identity and some SDK paths keep only the message of the network error.
  const tls = [...TLS_CODES, 'self[- ]signed certificate', 'unable to verify the first certificate'].find((c) =>
    new RegExp(c, 'i').test(text),
  );
  if (tls)
    return {
      code: 'TLS_UNTRUSTED',
      exitCode: 1,
      message: `the TLS certificate of ${hostOf(text) ?? 'the server'} is not trusted`,
      hint: 'if it is your proxy or sandbox, point NODE_EXTRA_CA_CERTS at its CA certificate file; otherwise check the endpoint',
    };
  const net = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT)\b/.exec(text);
  if (net) return networkCondition({ name: 'Error', message: text, code: net[1] }, text);
  return undefined;
}

/**
 * MSAL reports an authority it cannot reach (refused, reset, untrusted certificate) only as
 * `endpoints_resolution_error`; ask the authority host once to name the real cause. Other errors unchanged.
 */
export async function explainEntraSignIn(error: unknown, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const text = chain(error)
    .map((e) => e.message)
    .join(' ');
  if (!/endpoints_resolution_error|ClientAuthError: endpoints_resolution/i.test(text)) return error;
  const host = env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com';
  let cause: Condition | undefined;
  try {
    await fetch(host, { signal: AbortSignal.timeout(5000) });
  } catch (probe) {
    cause = recognise(probe);
  }
  const message = cause
    ? `cannot sign in to Entra: ${cause.message.replace(/the server|127\.0\.0\.1:\d+/, host)}`
    : `cannot sign in to Entra: the authority ${host} did not answer with its OpenID configuration`;
  const hint = cause?.hint ?? 'check AZURE_AUTHORITY_HOST (or entra.authorityHost) and AZURE_TENANT_ID';
  return Object.assign(new Error(message), {
    entraCondition: { code: cause?.code ?? 'ENTRA_AUTHORITY', message, hint },
  });
}
