/**
 * The scenario people's sign-in secrets: a password and a TOTP seed per Entra user, derived from the tenant and
 * the UPN (so the same seed gives the same secrets and the scenario's random source is never drawn). The manifest
 * lists them so a tester can sign in as anyone.
 */
import { createHmac } from 'node:crypto';
import type { EntraState } from '../world/entra-state.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function mac(entra: EntraState, purpose: string, upn: string): Buffer {
  return createHmac('sha256', entra.tenantId).update(`${purpose}:${upn.toLowerCase()}`).digest();
}

/** The password of an Entra user of the scenario. */
export function scenarioPassword(entra: EntraState, upn: string): string {
  return `Sbx-${mac(entra, 'password', upn).toString('base64url').slice(0, 14)}1!`;
}

/** The base32 TOTP seed of an Entra user's authenticator app. */
export function scenarioTotpSeed(entra: EntraState, upn: string): string {
  const bytes = mac(entra, 'totp', upn).subarray(0, 20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
