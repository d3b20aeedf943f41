/**
 * The SCIM side of Identity Center that the Identity Store does not hold: the tenant id of the SCIM endpoint,
 * the bearer tokens (kept as hashes only) and the SCIM-only user attributes (the enterprise extension and
 * roles). Users and groups themselves live in `world.sso`, shared with the Identity Store API.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SsoState } from '../world/sso-state.js';
import type { World } from '../world/world.js';

/** A SCIM access token as Identity Center lists it: never its value after creation. */
export type ScimTokenInfo = { tokenId: string; createdAt: Date; expiresAt: Date; lastUsedAt: Date | null };

type StoredToken = ScimTokenInfo & { hash: string };

/** SCIM attributes Identity Center keeps for a user beyond the Identity Store's fields. */
export type ScimUserExtras = {
  roles?: Record<string, unknown>[];
  enterprise?: Record<string, unknown>;
};

export type ScimState = {
  tenantId: string;
  tokens: StoredToken[];
  userExtras: Map<string, ScimUserExtras>;
  /** Opaque list cursors to the offset they continue from. */
  cursors: Map<string, number>;
};

/** Identity Center allows two SCIM access tokens at a time. */
export const MAX_SCIM_TOKENS = 2;
/** Tokens expire one year after creation. */
export const SCIM_TOKEN_LIFETIME_MS = 365 * 24 * 3600 * 1000;

const states = new WeakMap<SsoState, ScimState>();

function tenantIdFor(sso: SsoState): string {
  const h = createHash('sha256').update(`scim-tenant:${sso.instanceArn}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The SCIM state of the world's Identity Center instance (created on first use). */
export function scimStateOf(world: World): ScimState {
  const sso = world.sso;
  if (!sso) throw new Error('sandbox: Identity Center is not enabled in this world');
  let state = states.get(sso);
  if (!state) {
    state = { tenantId: tenantIdFor(sso), tokens: [], userExtras: new Map(), cursors: new Map() };
    states.set(sso, state);
  }
  return state;
}

/** The SCIM endpoint of the sandbox, at AWS's path shape `/{tenant-id}/scim/v2` under the sandbox's base URL. */
export function scimEndpointUrl(world: World, sandboxEndpoint: string): string {
  return `${sandboxEndpoint.replace(/\/$/, '')}/${scimStateOf(world).tenantId}/scim/v2`;
}

/** The endpoint AWS would show for this instance (for display: the sandbox serves the path shape, not the host). */
export function awsScimEndpointUrl(world: World): string {
  return `https://scim.${world.sso?.region ?? world.region}.amazonaws.com/${scimStateOf(world).tenantId}/scim/v2`;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Refused because two tokens already exist (Identity Center's limit). */
export class ScimTokenLimitError extends Error {
  constructor() {
    super(`Identity Center allows at most ${MAX_SCIM_TOKENS} SCIM access tokens; delete one before generating another`);
  }
}

/**
 * Generates a SCIM access token valid for one year of the virtual clock (what the console's
 * "Generate token" does; AWS has no public API for it). The value is returned once and only its hash is kept.
 */
export function createScimToken(world: World): ScimTokenInfo & { token: string } {
  const state = scimStateOf(world);
  if (state.tokens.length >= MAX_SCIM_TOKENS) throw new ScimTokenLimitError();
  const token = randomBytes(96).toString('base64');
  const now = world.clock.now();
  const stored: StoredToken = {
    tokenId: randomUUID(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SCIM_TOKEN_LIFETIME_MS),
    lastUsedAt: null,
    hash: hashToken(token),
  };
  state.tokens.push(stored);
  return { ...publicInfo(stored), token };
}

function publicInfo(t: StoredToken): ScimTokenInfo {
  return { tokenId: t.tokenId, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt };
}

/** The tokens that exist (expired ones included, as the console lists them), without their values. */
export function listScimTokens(world: World): ScimTokenInfo[] {
  return scimStateOf(world).tokens.map(publicInfo);
}

/** Deletes (revokes) a token; false when there is no such token. */
export function revokeScimToken(world: World, tokenId: string): boolean {
  const state = scimStateOf(world);
  const before = state.tokens.length;
  state.tokens = state.tokens.filter((t) => t.tokenId !== tokenId);
  return state.tokens.length < before;
}

/** True when `token` is an existing, unexpired token; records its last use. */
export function acceptScimToken(world: World, token: string): boolean {
  const state = scimStateOf(world);
  const hash = hashToken(token);
  const found = state.tokens.find((t) => t.hash === hash);
  if (!found) return false;
  const now = world.clock.now();
  if (found.expiresAt.getTime() <= now.getTime()) return false;
  found.lastUsedAt = now;
  return true;
}
