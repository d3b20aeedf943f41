/**
 * `GET|POST /{tenant}/saml2`: SP-initiated SAML sign-in. Takes the SAMLRequest (HTTP-Redirect or HTTP-POST
 * binding), RelayState, and `login_hint` for the user (the sandbox has no interactive sign-in), and answers
 * with the auto-submitting form that posts the signed SAMLResponse to the app's reply URL, as Entra does.
 */
import type { SandboxContext } from '../../sandbox-context.js';
import type { SandboxRequest, SandboxResponse } from '../../server/http-types.js';
import type { EntraState } from '../../world/entra-state.js';
import { findSamlApp, issueAssertion, parseAuthnRequest } from './idp.js';
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
  const upn = params.get('login_hint') ?? request.url.searchParams.get('login_hint');
  if (!upn)
    return errorPage(
      50058,
      'A silent sign-in request was sent but no user is signed in. Pass login_hint with the user principal name.',
    );
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
    `<form method="POST" name="hiddenform" action="${xmlEscape(result.acsUrl)}">` +
      `<input type="hidden" name="SAMLResponse" value="${result.samlResponse}"/>${relay}` +
      '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"/></noscript>' +
      '</form><script>window.setTimeout(function(){document.forms[0].submit()},0);</script>',
  );
}
