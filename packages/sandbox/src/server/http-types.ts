/** The sandbox server's request and response shapes, independent of node:http. */

export type SandboxRequest = {
  method: string;
  /** Path and query as received. */
  rawUrl: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
};

export type SandboxResponse = {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Fault injection: `reset` drops the connection with a TCP reset, `timeout` never answers. */
  abort?: 'reset' | 'timeout';
};

/** A protocol front end: claims the requests it understands and answers them. */
export type Route = {
  name: string;
  matches(request: SandboxRequest): boolean;
  handle(request: SandboxRequest): Promise<SandboxResponse> | SandboxResponse;
};

/** Reads a header as one string. */
export function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
