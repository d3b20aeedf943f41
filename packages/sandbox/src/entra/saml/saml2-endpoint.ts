/**
 * `GET|POST /{tenant}/saml2`: SP-initiated SAML sign-in. Takes the SAMLRequest (HTTP-Redirect or HTTP-POST
 * binding) and RelayState, signs the person in through the interactive form (password, then TOTP when the
 * tenant requires MFA; see login-page.ts) or silently for a `login_hint` alone (a shortcut for tests), and
 * answers with the auto-submitting form that posts the signed SAMLResponse to the app's reply URL, as Entra
 * does. Reply URLs on AWS's sign-in host are served by this sandbox, so the form posts to the same path here.
 */
import type { SandboxContext } from '../../sandbox-context.js';
import type { SandboxRequest, SandboxResponse } from '../../server/http-types.js';
import { signinStateOf } from '../../signin/state.js';
import type { EntraState } from '../../world/entra-state.js';
import { findUser } from '../directory.js';
import { evaluateSignIn } from '../harden/state.js';
import { publicBase } from '../http.js';
import { findSamlApp, issueAssertion, parseAuthnRequest } from './idp.js';
import { interactiveLogin } from './login-page.js';
import { xmlEscape } from './xml-sign.js';

function html(status: number, body: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!DOCTYPE html><html><body>${body}</body></html>`,
  };
}

function errorPage(code: number, message: string): SandboxResponse {
  return html(
    400,
    `<h1>Sorry, but we're having trouble signing you in.</h1><p id="error">AADSTS${code}: ${xmlEscape(message)}</p>`,
  );
}

/** Where the sandbox serves a reply URL: AWS's sign-in host maps to this server, same path. */
function servedAt(request: SandboxRequest, entra: EntraState, acsUrl: string): string {
  const url = new URL(acsUrl);
  if (!url.hostname.endsWith('.signin.aws.amazon.com')) return acsUrl;
  return `${publicBase(request, entra)}${url.pathname}`;
}

/** Serves the SAML 2.0 endpoint. */
export function serveSaml2(sandbox: SandboxContext, entra: EntraState, request: SandboxRequest): SandboxResponse {
  const params =
    request.method === 'POST' ? new URLSearchParams(request.body.toString('utf8')) : request.url.searchParams;
  const samlRequest = params.get('SAMLRequest');
  if (!samlRequest) {
    return errorPage(
      750054,
      'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.',
    );
  }
  const authn = parseAuthnRequest(samlRequest);
  if (!authn.issuer)
    return errorPage(7500529, "The value '' is not a valid SAML ID. The ID must not begin with a number.");
  const sp = findSamlApp(entra, authn.issuer);
  if (!sp) {
    return errorPage(
      700016,
      `Application with identifier '${authn.issuer}' was not found in the directory '${entra.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  const hint = params.get('login_hint') ?? request.url.searchParams.get('login_hint');
  const interactive = params.has('login') || params.has('flowToken') || !hint;
  let upn = hint;
  if (interactive) {
    const signin = sandbox.world.sso ? signinStateOf(sandbox.world) : { mfaRequired: false, pendingMfa: new Map() };
    const action = `${publicBase(request, entra)}${request.url.pathname}`;
    const now = sandbox.world.clock.now();
    const step = interactiveLogin(
      entra,
      signin,
      action,
      params,
      now,
      (user) => evaluateSignIn(entra, user, sp.appId, now).requireMfa,
    );
    if (step.kind === 'page') return html(step.status, step.html);
    upn = step.upn;
  }
  if (!upn) return errorPage(50058, 'No user is signed in.');
  const silent = !interactive && findUser(entra, upn);
  if (silent && evaluateSignIn(entra, silent, sp.appId, sandbox.world.clock.now()).requireMfa) {
    // A silent sign-in cannot answer the second factor a Conditional Access policy asks for (AADSTS50076).
    return errorPage(
      50076,
      'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this application.',
    );
  }
  const result = issueAssertion(entra, sp, {
    upn,
    acsUrl: authn.acsUrl,
    inResponseTo: authn.id,
    now: sandbox.world.clock.now(),
  });
  if (!result.ok) return errorPage(result.code, result.message);
  const relayState = params.get('RelayState');
  const relay = relayState ? `<input type="hidden" name="RelayState" value="${xmlEscape(relayState)}"/>` : '';
  return html(
    200,
    `<form method="POST" name="hiddenform" action="${xmlEscape(servedAt(request, entra, result.acsUrl))}">` +
      `<input type="hidden" name="SAMLResponse" value="${result.samlResponse}"/>${relay}` +
      '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"/></noscript>' +
      '</form><script>window.setTimeout(function(){document.forms[0].submit()},0);</script>',
  );
}
