/** IAM Query handlers for account-wide things: aliases, SAML providers, the credential report. */
import type { QueryHandler } from '../../context.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { requireParam } from '../../query.js';
import { currentCredentialReport, generateCredentialReport } from '../credential-report.js';
import { tagEntity } from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { tagsXml } from '../shapes.js';
import { checkName } from '../validate.js';
import { scopeOf, tagsParam } from './common.js';

const ALIAS_RE = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

function checkSamlMetadata(document: string): void {
  if (document.length < 1000 || document.length > 10_000_000)
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000`,
    );
  if (!/<([\w-]+:)?EntityDescriptor[\s>]/.test(document) || !/IDPSSODescriptor/.test(document))
    throw new AwsError('InvalidInput', 'Could not parse metadata', 400);
}

function validUntil(document: string, created: Date): Date {
  const m = /validUntil="([^"]+)"/.exec(document);
  const parsed = m ? new Date(m[1]) : undefined;
  if (parsed && !Number.isNaN(parsed.getTime())) return parsed;
  return new Date(created.getTime() + 100 * 365 * 24 * 3600 * 1000);
}

/** Handlers for aliases, SAML providers and the credential report. */
export const accountHandlers: Record<string, QueryHandler> = {
  CreateAccountAlias: (ctx, params) => {
    const alias = requireParam(params, 'AccountAlias');
    if (!ALIAS_RE.test(alias) || /^\d{12}$/.test(alias))
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`,
      );
    for (const account of ctx.world.accounts.values())
      if (account.id !== ctx.caller.accountId && account.iam.aliases.includes(alias))
        throw new AwsError('EntityAlreadyExists', `The account alias ${alias} already exists.`, 409);
    ctx.caller.account.iam.aliases = [alias];
    return {};
  },

  ListAccountAliases: (ctx, params) => {
    const page = pageOf(ctx.caller.account.iam.aliases, params);
    return { AccountAliases: page.items, ...pageFields(page) };
  },

  DeleteAccountAlias: (ctx, params) => {
    const alias = requireParam(params, 'AccountAlias');
    const iam = ctx.caller.account.iam;
    if (!iam.aliases.includes(alias)) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
    iam.aliases = iam.aliases.filter((a) => a !== alias);
    return {};
  },

  CreateSAMLProvider: (ctx, params) => {
    const scope = scopeOf(ctx);
    const name = checkName(requireParam(params, 'Name'), 'name', 128);
    const document = requireParam(params, 'SAMLMetadataDocument');
    checkSamlMetadata(document);
    const arn = `arn:aws:iam::${scope.account.id}:saml-provider/${name}`;
    const providers = scope.account.iam.samlProviders;
    if (providers.has(arn)) throw new AwsError('EntityAlreadyExists', `SAMLProvider ${name} already exists.`, 409);
    const now = ctx.world.clock.now();
    const tags = tagEntity([], tagsParam(params));
    providers.set(arn, {
      arn,
      metadataDocument: document,
      createDate: now,
      validUntil: validUntil(document, now),
      tags,
    });
    return { SAMLProviderArn: arn, Tags: tagsXml(tags) };
  },

  GetSAMLProvider: (ctx, params) => {
    const arn = requireParam(params, 'SAMLProviderArn');
    const provider = ctx.caller.account.iam.samlProviders.get(arn);
    if (!provider) throw noSuchEntity(`Manifest not found for arn ${arn}`);
    return {
      SAMLMetadataDocument: provider.metadataDocument,
      CreateDate: provider.createDate,
      ValidUntil: provider.validUntil,
      Tags: tagsXml(provider.tags),
    };
  },

  ListSAMLProviders: (ctx) => {
    const providers = [...ctx.caller.account.iam.samlProviders.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1));
    return {
      SAMLProviderList: providers.map((p) => ({ Arn: p.arn, ValidUntil: p.validUntil, CreateDate: p.createDate })),
    };
  },

  UpdateSAMLProvider: (ctx, params) => {
    const arn = requireParam(params, 'SAMLProviderArn');
    const provider = ctx.caller.account.iam.samlProviders.get(arn);
    if (!provider) throw noSuchEntity(`Manifest not found for arn ${arn}`);
    const document = requireParam(params, 'SAMLMetadataDocument');
    checkSamlMetadata(document);
    provider.metadataDocument = document;
    provider.validUntil = validUntil(document, provider.createDate);
    return { SAMLProviderArn: arn };
  },

  DeleteSAMLProvider: (ctx, params) => {
    const arn = requireParam(params, 'SAMLProviderArn');
    if (!ctx.caller.account.iam.samlProviders.delete(arn)) throw noSuchEntity(`Manifest not found for arn ${arn}`);
    return {};
  },

  GenerateCredentialReport: (ctx) => {
    const result = generateCredentialReport(ctx.world, ctx.caller.accountId);
    return { State: result.state, Description: result.description };
  },

  GetCredentialReport: (ctx) => {
    const report = currentCredentialReport(ctx.world, ctx.caller.accountId);
    if (report === 'not-present')
      throw new AwsError('ReportNotPresent', 'Credential report not present. Use GenerateCredentialReport.', 410);
    if (report === 'in-progress')
      throw new AwsError('ReportInProgress', 'Credential report is still being generated.', 404);
    if (report === 'expired')
      throw new AwsError('ReportExpired', 'Credential report has expired. Use GenerateCredentialReport.', 410);
    return {
      Content: Buffer.from(report.content, 'utf8').toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: report.generatedAt,
    };
  },
};
