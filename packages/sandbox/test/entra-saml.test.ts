import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { SAML } from '@node-saml/node-saml';
import { XMLParser } from 'fast-xml-parser';
import { liveUsers } from '../src/entra/directory.js';
import type { RunningSandbox } from '../src/index.js';
import { entraInfo, sandboxFetch, sandboxGraphClient } from './entra-helpers.js';
import { startTestSandbox } from './helpers/sandbox.js';

const TEMPLATE_ID = '21ed01d2-ec13-4e9e-86c1-cd546719ebc4';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

type App = {
  application: { id: string; appId: string };
  servicePrincipal: { id: string; appRoles: { id: string; displayName: string }[] };
};

function httpsGet(sandbox: RunningSandbox, path: string): Promise<{ status: number; body: string }> {
  const entra = entraInfo(sandbox);
  return new Promise((resolve, reject) => {
    httpsRequest(`${entra.authorityHost}${path}`, { ca: entra.tlsCertificatePem }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function advance(sandbox: RunningSandbox, ms: number): Promise<void> {
  await sandboxFetch(sandbox, '/_sandbox/clock', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  });
}

describe('sandbox Entra: gallery app, SAML configuration, federation metadata and signed assertions', () => {
  let sandbox: RunningSandbox;
  let graph: Client;
  let app: App;
  let idpCert: string;
  const entityId = 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890';
  const acs = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/d-1234567890';
  let assigned: { id: string; userPrincipalName: string; mail: string | null; givenName: string | null };

  before(async () => {
    sandbox = await startTestSandbox({ seed: 3 });
    graph = sandboxGraphClient(sandbox);
  });
  after(() => sandbox.close());

  it('lists the AWS IAM Identity Center gallery template with its app roles', async () => {
    const found = (await graph
      .api('/applicationTemplates')
      .filter("displayName eq 'AWS IAM Identity Center (successor to AWS Single Sign-On)'")
      .get()) as { value: { id: string; supportedSingleSignOnModes: string[] }[] };
    assert.equal(found.value.length, 1);
    assert.equal(found.value[0].id, TEMPLATE_ID);
    assert.ok(found.value[0].supportedSingleSignOnModes.includes('saml'));
  });

  it('instantiates the template; the service principal is readable only a few seconds later', async () => {
    app = (await graph.api(`/applicationTemplates/${TEMPLATE_ID}/instantiate`).post({ displayName: 'AWS SSO' })) as App;
    assert.deepEqual(app.servicePrincipal.appRoles.map((r) => r.displayName).sort(), ['User', 'msiam_access']);
    await assert.rejects(
      graph.api(`/servicePrincipals/${app.servicePrincipal.id}`).get(),
      (e: GraphError) => e.statusCode === 404,
    );
    const listed = (await graph.api('/servicePrincipals').filter(`appId eq '${app.application.appId}'`).get()) as {
      value: unknown[];
    };
    assert.equal(listed.value.length, 0);
    await advance(sandbox, 6000);
    const sp = (await graph.api(`/servicePrincipals/${app.servicePrincipal.id}`).get()) as {
      applicationTemplateId: string;
    };
    assert.equal(sp.applicationTemplateId, TEMPLATE_ID);
  });

  it('configures SAML, adds and activates a signing certificate, and assigns a user', async () => {
    await graph.api(`/servicePrincipals/${app.servicePrincipal.id}`).patch({ preferredSingleSignOnMode: 'saml' });
    await graph
      .api(`/applications/${app.application.id}`)
      .patch({ identifierUris: [entityId], web: { redirectUris: [acs] } });
    const cert = (await graph
      .api(`/servicePrincipals/${app.servicePrincipal.id}/addTokenSigningCertificate`)
      .post({ displayName: 'CN=AWS SSO' })) as { thumbprint: string; key: string; usage: string };
    assert.match(cert.thumbprint, /^[0-9A-F]{40}$/);
    await graph
      .api(`/servicePrincipals/${app.servicePrincipal.id}`)
      .patch({ preferredTokenSigningKeyThumbprint: cert.thumbprint });
    const user = liveUsers(sandbox.world.entra!).find((u) => u.accountEnabled && u.mail)!;
    assigned = user;
    const msiam = app.servicePrincipal.appRoles.find((r) => r.displayName === 'msiam_access')!;
    await graph
      .api(`/servicePrincipals/${app.servicePrincipal.id}/appRoleAssignedTo`)
      .post({ principalId: user.id, resourceId: app.servicePrincipal.id, appRoleId: msiam.id });
    const sp = (await graph.api(`/servicePrincipals/${app.servicePrincipal.id}`).get()) as Record<string, unknown>;
    assert.equal(sp.preferredSingleSignOnMode, 'saml');
    assert.equal(sp.preferredTokenSigningKeyThumbprint, cert.thumbprint);
    const assignments = (await graph.api(`/servicePrincipals/${app.servicePrincipal.id}/appRoleAssignedTo`).get()) as {
      value: { principalId: string }[];
    };
    assert.deepEqual(
      assignments.value.map((a) => a.principalId),
      [user.id],
    );
  });

  it('serves signed federation metadata with entityID sts.windows.net and the SSO URL', async () => {
    const entra = entraInfo(sandbox);
    const res = await httpsGet(
      sandbox,
      `/${entra.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${app.application.appId}`,
    );
    assert.equal(res.status, 200);
    const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true });
    const doc = parser.parse(res.body).EntityDescriptor;
    assert.equal(doc['@_entityID'], `https://sts.windows.net/${entra.tenantId}/`);
    assert.ok(doc.Signature, 'metadata is signed');
    const sso = [doc.IDPSSODescriptor.SingleSignOnService].flat().map((s: Record<string, string>) => s['@_Location']);
    assert.ok(sso.includes(`${entra.authorityHost}/${entra.tenantId}/saml2`));
    idpCert = doc.IDPSSODescriptor.KeyDescriptor.KeyInfo.X509Data.X509Certificate;
    assert.ok(idpCert.length > 500);
  });

  function samlClient(): SAML {
    return new SAML({
      callbackUrl: acs,
      issuer: entityId,
      audience: entityId,
      idpCert,
      idpIssuer: `https://sts.windows.net/${entraInfo(sandbox).tenantId}/`,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      identifierFormat: EMAIL_FORMAT,
      acceptedClockSkewMs: 10 * 60_000,
    });
  }

  async function assertionFor(upn: string): Promise<{ status: number; samlResponse?: string; error?: string }> {
    const res = await sandboxFetch(sandbox, '/_sandbox/entra/saml/assertion', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ upn, servicePrincipalId: app.servicePrincipal.id }),
    });
    return { status: res.status, ...((await res.json()) as { samlResponse?: string; error?: string }) };
  }

  it('issues an assertion that node-saml validates: signature, audience, NameID format, claims, recipient', async () => {
    // Assertion times follow the virtual clock (6 s ahead here), inside node-saml's accepted skew.
    const issued = await assertionFor(assigned.userPrincipalName);
    assert.equal(issued.status, 200);
    const { profile } = await samlClient().validatePostResponseAsync({ SAMLResponse: issued.samlResponse! });
    assert.ok(profile);
    assert.equal(profile.nameID, assigned.userPrincipalName);
    assert.equal(profile.nameIDFormat, EMAIL_FORMAT);
    assert.equal(profile['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'], assigned.mail);
    assert.equal(profile['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'], assigned.givenName);
    assert.equal(profile['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'], assigned.userPrincipalName);
    const xml = Buffer.from(issued.samlResponse!, 'base64').toString('utf8');
    assert.match(xml, new RegExp(`Destination="${acs}"`));
    assert.match(xml, new RegExp(`Recipient="${acs}"`));
  });

  it('rejects an assertion whose signed content was tampered with', async () => {
    const issued = await assertionFor(assigned.userPrincipalName);
    const xml = Buffer.from(issued.samlResponse!, 'base64').toString('utf8');
    const tampered = xml.replace(`>${assigned.userPrincipalName}</NameID>`, '>mallory@example.com</NameID>');
    assert.notEqual(tampered, xml);
    await assert.rejects(
      samlClient().validatePostResponseAsync({ SAMLResponse: Buffer.from(tampered).toString('base64') }),
      /signature/i,
    );
  });

  it('refuses an unassigned user with AADSTS50105 and answers the SAML endpoint with a form post', async () => {
    const stranger = liveUsers(sandbox.world.entra!).find((u) => u.accountEnabled && u.id !== assigned.id)!;
    const refused = await assertionFor(stranger.userPrincipalName);
    assert.equal(refused.status, 400);
    assert.equal(refused.error, 'AADSTS50105');
    const entra = entraInfo(sandbox);
    const authn = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_req1" Version="2.0" AssertionConsumerServiceURL="${acs}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${entityId}</saml:Issuer></samlp:AuthnRequest>`;
    const query = new URLSearchParams({
      SAMLRequest: Buffer.from(authn).toString('base64'),
      login_hint: assigned.userPrincipalName,
    });
    const page = await httpsGet(sandbox, `/${entra.tenantId}/saml2?${query}`);
    assert.equal(page.status, 200);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(samlResponse);
    assert.match(Buffer.from(samlResponse, 'base64').toString('utf8'), /InResponseTo="_req1"/);
    const { profile } = await samlClient().validatePostResponseAsync({ SAMLResponse: samlResponse });
    assert.equal(profile?.nameID, assigned.userPrincipalName);
  });

  it('keeps an enabled app role when a PATCH of appRoles drops it (CannotDeleteOrUpdateEnabledEntitlement); disabled first, it can go', async () => {
    const path = `/servicePrincipals/${app.servicePrincipal.id}`;
    type Role = { id: string; value: string | null; isEnabled: boolean; allowedMemberTypes: string[] };
    const roles = async () => ((await graph.api(path).select('appRoles').get()) as { appRoles: Role[] }).appRoles;
    const before = await roles();
    const added: Role = {
      id: '5b0c8c61-33c7-4a5e-9b53-6e2b7f0c0a11',
      value: 'arn:aws:iam::111111111111:role/Ops,arn:aws:iam::111111111111:saml-provider/EntraID',
      isEnabled: true,
      allowedMemberTypes: ['User'],
    };
    await graph.api(path).patch({ appRoles: [...before, { ...added, displayName: 'Ops', description: 'Ops' }] });
    await assert.rejects(
      graph.api(path).patch({ appRoles: before }),
      (e: GraphError) => e.statusCode === 400 && e.code === 'CannotDeleteOrUpdateEnabledEntitlement',
    );
    assert.ok((await roles()).some((r) => r.id === added.id));
    const disabled = (await roles()).map((r) => (r.id === added.id ? { ...r, isEnabled: false } : r));
    await graph.api(path).patch({ appRoles: disabled });
    await graph.api(path).patch({ appRoles: before });
    assert.deepEqual(
      (await roles()).map((r) => r.id),
      before.map((r) => r.id),
    );
  });
});
