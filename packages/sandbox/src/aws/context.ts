/** What a protocol handler knows about the request it serves. */
import type { TrailResource } from '../world/cloudtrail-state.js';
import type { AccountState, Principal, World } from '../world/world.js';

export type Caller = {
  /** The account whose resources the request acts on. */
  accountId: string;
  account: AccountState;
  principal: Principal;
  /** ARN as GetCallerIdentity reports it. */
  arn: string;
  /** UserId as GetCallerIdentity reports it (AIDA... for users, AROA...:session for roles, account id for root). */
  userId: string;
  accessKeyId: string;
};

export type AwsContext = {
  world: World;
  caller: Caller;
  region: string;
  /** Signing name of the service (iam, sts, organizations, sso, identitystore, cloudtrail). */
  service: string;
  action: string;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** What a handler adds to the CloudTrail record of its call (the dispatcher writes the record). */
  trail?: { responseElements?: Record<string, unknown>; resources?: TrailResource[] };
};

/** Query-protocol parameters: the flattened form fields (`Tags.member.1.Key=...`). */
export type QueryParams = Map<string, string>;

export type QueryHandler = (ctx: AwsContext, params: QueryParams) => XmlValue | Promise<XmlValue>;

/** JSON-protocol handler: takes the request body, returns the response body. */
// biome-ignore lint/suspicious/noExplicitAny: request bodies are untyped JSON checked by each handler
export type JsonHandler = (ctx: AwsContext, input: any) => unknown | Promise<unknown>;

/**
 * A value to serialize as XML: scalars become text, Dates become ISO-8601, arrays become `<member>`
 * lists, Maps become `<entry><key/><value/></entry>` maps, objects become nested elements; undefined and null
 * fields are left out.
 */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | XmlValue[]
  | Map<string, XmlValue>
  | { [key: string]: XmlValue };

/** The service table a protocol module exports. */
export type QueryService = { service: string; version: string; xmlns: string; handlers: Record<string, QueryHandler> };
export type JsonService = {
  service: string;
  targetPrefix: string;
  eventSource: string;
  handlers: Record<string, JsonHandler>;
};
