/**
 * Entra's interactive sign-in for SAML apps, as a plain HTML form: the person types their UPN and password
 * (`login`, `passwd`), then, when the tenant requires MFA, the six-digit code of their authenticator app
 * (`otc`), each step posting back to `/{tenant}/saml2` with the SAMLRequest and RelayState carried along and a
 * `flowToken` between the two steps. The second step is asked when the tenant requires MFA or a Conditional
 * Access policy that is on applies to the user and the app. Wrong answers show Entra's AADSTS messages on the same form.
 */
import { totpCode } from '../../aws/iam/ops/mfa.js';
import { scenarioPassword, scenarioTotpSeed } from '../../signin/people.js';
import { randomToken, type SigninState } from '../../signin/state.js';
import type { EntraState, EntraUser } from '../../world/entra-state.js';
import { findUser } from '../directory.js';
import { xmlEscape } from './xml-sign.js';

export type LoginStep = { kind: 'page'; status: number; html: string } | { kind: 'signed-in'; upn: string };

const FLOW_LIFETIME_MS = 10 * 60_000;

function hidden(params: URLSearchParams): string {
  return ['SAMLRequest', 'RelayState']
    .filter((k) => params.get(k))
    .map((k) => `<input type="hidden" name="${k}" value="${xmlEscape(params.get(k)!)}"/>`)
    .join('');
}

function page(title: string, inner: string, error?: string): string {
  const problem = error ? `<div id="error" role="alert">${xmlEscape(error)}</div>` : '';
  return `<h1>${xmlEscape(title)}</h1>${problem}${inner}`;
}

/** The first form: user name and password. */
function passwordForm(action: string, params: URLSearchParams, error?: string): LoginStep {
  const login = params.get('login') ?? params.get('login_hint') ?? '';
  return {
    kind: 'page',
    status: error ? 400 : 200,
    html: page(
      'Sign in',
      `<form method="POST" action="${xmlEscape(action)}" id="credentials">${hidden(params)}` +
        `<label for="i0116">Email, phone, or Skype</label><input type="email" id="i0116" name="login" value="${xmlEscape(login)}" autocomplete="username"/>` +
        '<label for="i0118">Password</label><input type="password" id="i0118" name="passwd" autocomplete="current-password"/>' +
        '<input type="submit" id="idSIButton9" value="Sign in"/></form>',
      error,
    ),
  };
}

/** The second form: the authenticator app's code. */
function codeForm(action: string, params: URLSearchParams, flowToken: string, error?: string): LoginStep {
  return {
    kind: 'page',
    status: error ? 400 : 200,
    html: page(
      'Enter code',
      `<p>Enter the code displayed in the authenticator app on your mobile device</p><form method="POST" action="${xmlEscape(action)}" id="mfa">${hidden(params)}` +
        `<input type="hidden" name="flowToken" value="${xmlEscape(flowToken)}"/>` +
        '<input type="tel" id="idTxtBx_SAOTCC_OTC" name="otc" maxlength="6" autocomplete="one-time-code"/>' +
        '<input type="submit" id="idSubmit_SAOTCC_Continue" value="Verify"/></form>',
      error,
    ),
  };
}

function codeMatches(seed: string, now: Date, code: string): boolean {
  return [-1, 0, 1].some((step) => totpCode(seed, now, step) === code);
}

/** One step of the interactive sign-in for a form post (or the first GET). */
export function interactiveLogin(
  entra: EntraState,
  signin: Pick<SigninState, 'mfaRequired' | 'pendingMfa'>,
  action: string,
  params: URLSearchParams,
  now: Date,
  /** Whether Conditional Access asks this user for the second factor (evaluated once the password is right). */
  policyMfa: (user: EntraUser) => boolean = () => false,
): LoginStep {
  const flowToken = params.get('flowToken');
  if (flowToken) {
    const flow = signin.pendingMfa.get(flowToken);
    if (!flow || flow.expiresAt <= now)
      return passwordForm(
        action,
        params,
        'AADSTS50132: The session is not valid due to password expiration or recent password change. Sign in again.',
      );
    const code = (params.get('otc') ?? '').trim();
    if (!codeMatches(scenarioTotpSeed(entra, flow.upn), now, code))
      return codeForm(
        action,
        params,
        flowToken,
        "AADSTS50076: You didn't enter the expected verification code. Please try again.",
      );
    signin.pendingMfa.delete(flowToken);
    return { kind: 'signed-in', upn: flow.upn };
  }
  const login = params.get('login');
  if (login === null) return passwordForm(action, params);
  const user = findUser(entra, login.trim());
  if (!user) {
    return passwordForm(
      action,
      params,
      'AADSTS50034: This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
    );
  }
  if (params.get('passwd') !== scenarioPassword(entra, user.userPrincipalName))
    return passwordForm(action, params, 'AADSTS50126: Your account or password is incorrect.');
  if (!policyMfa(user) && !signin.mfaRequired) return { kind: 'signed-in', upn: user.userPrincipalName };
  const token = randomToken(24);
  signin.pendingMfa.set(token, { upn: user.userPrincipalName, expiresAt: new Date(now.getTime() + FLOW_LIFETIME_MS) });
  return codeForm(action, params, token);
}
