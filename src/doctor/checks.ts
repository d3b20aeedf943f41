/**
 * The checks of `iam2sso doctor`, pure over what was read: each says ok, warning or error, with its evidence and
 * the fix. SAML trust compares Entra's side (the enterprise app: identifier, reply URL, signing certificates) with
 * Identity Center's (the SP entity ID and ACS URL derived from the instance; the identity source's IdP metadata
 * when given). Certificates expired or expiring within 60 days, a rollover in progress, metadata fetched without
 * `?appid=` (tenant-wide keys, not the app's SAML certificate) and tenant-independent metadata (`{tenantid}`) are
 * named. Sources: the field guide's troubleshooting table; "Configure SAML SSO with Microsoft Entra ID" in the
 * IAM Identity Center user guide; Entra's federation metadata document reference.
 */
import type { InspectedMetadata } from './idp-metadata.js';

export type CheckStatus = 'ok' | 'warning' | 'error';
export type CheckArea = 'prerequisites' | 'saml' | 'provisioning' | 'people' | 'hardening' | 'identity-source';

/** One finding of the doctor. */
export type Check = { id: string; area: CheckArea; status: CheckStatus; title: string; evidence: string; fix?: string };

const DAY = 86_400_000;
/** Certificates expiring within this many days are a warning. */
export const EXPIRY_WARNING_DAYS = 60;

/** A check result. */
export function check(
  id: string,
  area: CheckArea,
  status: CheckStatus,
  title: string,
  evidence: string,
  fix?: string,
): Check {
  return fix ? { id, area, status, title, evidence, fix } : { id, area, status, title, evidence };
}

/** Expiry of one certificate. */
export function certificateCheck(
  id: string,
  label: string,
  thumbprint: string,
  notAfter: string,
  now: Date,
  fix: string,
): Check {
  const days = Math.floor((Date.parse(notAfter) - now.getTime()) / DAY);
  if (days < 0)
    return check(id, 'saml', 'error', `${label} expired`, `${thumbprint} expired on ${notAfter.slice(0, 10)}`, fix);
  if (days < EXPIRY_WARNING_DAYS)
    return check(
      id,
      'saml',
      'warning',
      `${label} expires in ${days} days`,
      `${thumbprint} valid until ${notAfter.slice(0, 10)}`,
      fix,
    );
  return check(id, 'saml', 'ok', `${label} valid`, `${thumbprint} valid until ${notAfter.slice(0, 10)}`);
}

/** The identity source's IdP metadata (what Identity Center trusts) against Entra's live app. */
export function idpMetadataChecks(
  meta: InspectedMetadata,
  source: string,
  entra: { tenantId: string; signInUrl: string; activeThumbprint: string | null },
  now: Date,
): Check[] {
  const out: Check[] = [];
  const upload =
    "upload the app's federation metadata (…/federationmetadata.xml?appid=<app id>) in Identity Center: Settings > Identity source > Actions > Change identity source";
  if (/^https?:/.test(source) && /federationmetadata/i.test(source) && !/[?&]appid=/i.test(source))
    out.push(
      check(
        'saml.metadata-appid',
        'saml',
        'error',
        'metadata fetched without ?appid=',
        `${source} is the tenant's metadata: its keys are tenant-wide token signing keys, not the app's SAML certificate`,
        upload,
      ),
    );
  if (/\{tenantid\}/i.test(meta.entityId))
    out.push(
      check(
        'saml.tenant-independent',
        'saml',
        'error',
        'tenant-independent metadata',
        `entity ID ${meta.entityId} has a {tenantid} placeholder: assertions carry https://sts.windows.net/${entra.tenantId}/`,
        upload,
      ),
    );
  const issuer = `https://sts.windows.net/${entra.tenantId}/`;
  if (!/\{tenantid\}/i.test(meta.entityId))
    out.push(
      meta.entityId === issuer
        ? check('saml.issuer', 'saml', 'ok', 'IdP entity ID matches Entra', issuer)
        : check(
            'saml.issuer',
            'saml',
            'error',
            "IdP entity ID differs from Entra's issuer",
            `metadata ${meta.entityId}, Entra issues ${issuer}`,
            upload,
          ),
    );
  out.push(
    meta.singleSignOnUrls.includes(entra.signInUrl)
      ? check('saml.sign-in-url', 'saml', 'ok', 'IdP sign-in URL matches Entra', entra.signInUrl)
      : check(
          'saml.sign-in-url',
          'saml',
          'warning',
          'IdP sign-in URL differs',
          `metadata ${meta.singleSignOnUrls.join(', ') || 'none'}, Entra ${entra.signInUrl}`,
          upload,
        ),
  );
  const thumbs = meta.certificates.map((c) => c.thumbprint);
  if (entra.activeThumbprint)
    out.push(
      thumbs.includes(entra.activeThumbprint)
        ? check(
            'saml.certificate-match',
            'saml',
            'ok',
            'Identity Center trusts the certificate Entra signs with',
            entra.activeThumbprint,
          )
        : check(
            'saml.certificate-match',
            'saml',
            'error',
            'Identity Center does not trust the certificate Entra signs with',
            `Entra signs with ${entra.activeThumbprint}; the metadata has ${thumbs.join(', ')}`,
            upload,
          ),
    );
  if (meta.certificates.length > 1)
    out.push(
      check(
        'saml.metadata-rollover',
        'saml',
        'warning',
        'two or more signing certificates in the metadata',
        `a rollover in progress: ${thumbs.join(', ')}`,
        'finish the rollover: make the new certificate active in Entra, upload the new metadata, then remove the old certificate',
      ),
    );
  for (const c of meta.certificates)
    out.push(
      certificateCheck(
        `saml.metadata-cert.${c.thumbprint}`,
        'metadata certificate',
        c.thumbprint,
        c.notAfter,
        now,
        'add a new SAML signing certificate in Entra, make it active, and upload the new metadata in Identity Center',
      ),
    );
  return out;
}

/** Entra's app against Identity Center's SP settings, and the app's own certificates. */
export function appChecks(
  app: {
    identifierUris: string[];
    redirectUris: string[];
    certificates: { thumbprint: string; endDateTime: string; active: boolean }[];
  } | null,
  sp: { entityId: string; acsUrl: string },
  now: Date,
): Check[] {
  if (!app)
    return [
      check(
        'saml.app',
        'saml',
        'error',
        'no AWS IAM Identity Center enterprise app in Entra',
        'none found by the gallery template',
        'iam2sso entra setup --sp-metadata FILE',
      ),
    ];
  const setup =
    "iam2sso entra setup --sp-metadata FILE (sets the identifier and reply URL from Identity Center's SP metadata)";
  const out = [
    app.identifierUris.includes(sp.entityId)
      ? check('saml.identifier', 'saml', 'ok', "app identifier is Identity Center's entity ID", sp.entityId)
      : check(
          'saml.identifier',
          'saml',
          'error',
          "app identifier differs from Identity Center's entity ID",
          `app ${app.identifierUris.join(', ') || 'none'}, Identity Center ${sp.entityId}`,
          setup,
        ),
    app.redirectUris.includes(sp.acsUrl)
      ? check('saml.reply-url', 'saml', 'ok', "app reply URL is Identity Center's ACS", sp.acsUrl)
      : check(
          'saml.reply-url',
          'saml',
          'error',
          "app reply URL differs from Identity Center's ACS",
          `app ${app.redirectUris.join(', ') || 'none'}, Identity Center ${sp.acsUrl}`,
          setup,
        ),
  ];
  const active = app.certificates.find((c) => c.active);
  if (!active)
    out.push(
      check(
        'saml.app-cert',
        'saml',
        'error',
        'the app has no active SAML signing certificate',
        `${app.certificates.length} certificates, none preferred`,
        'iam2sso entra setup',
      ),
    );
  else
    out.push(
      certificateCheck(
        'saml.app-cert',
        'app signing certificate',
        active.thumbprint,
        active.endDateTime,
        now,
        'add a new SAML signing certificate in Entra (iam2sso entra setup), make it active, then upload the new metadata in Identity Center',
      ),
    );
  const live = app.certificates.filter((c) => Date.parse(c.endDateTime) > now.getTime());
  if (live.length > 1)
    out.push(
      check(
        'saml.app-rollover',
        'saml',
        'warning',
        'certificate rollover in progress',
        `${live.length} valid certificates on the app; active ${active?.thumbprint ?? 'none'}`,
        'make sure Identity Center has the active one (doctor --idp-metadata FILE), then remove the other',
      ),
    );
  return out;
}

/** The exit status of a run: 1 on any error (or, with strict, any warning). */
export function doctorExitCode(checks: Check[], strict: boolean): number {
  if (checks.some((c) => c.status === 'error')) return 1;
  if (strict && checks.some((c) => c.status === 'warning')) return 1;
  return 0;
}
