/**
 * IAM Query handlers for OpenID Connect identity providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
 * ListOpenIDConnectProviders, DeleteOpenIDConnectProvider, TagOpenIDConnectProvider. Sources: IAM API Reference
 * (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html: Url must begin with
 * https://, up to 100 client ids, up to 5 thumbprints of 40 hex characters, ARN
 * `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`; API_GetOpenIDConnectProvider.html returns the Url without the
 * scheme). The providers are kept per account, created on first use.
 */
import type { IamAccountState, Tag } from '../../../world/iam-state.js';
import type { QueryHandler } from '../../context.js';
import { AwsError, noSuchEntity, validationError } from '../../errors.js';
import { listParam, requireParam } from '../../query.js';
import { tagsXml } from '../shapes.js';
import { scopeOf, tagsParam } from './common.js';

/** An OIDC provider in an account's IAM. */
export type OidcProvider = {
  arn: string;
  /** Without the scheme, as IAM returns it (`token.actions.githubusercontent.com`). */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: Date;
  tags: Tag[];
};

const providers = new WeakMap<IamAccountState, Map<string, OidcProvider>>();

/** The OIDC providers of an account's IAM, by ARN. */
export function oidcProvidersOf(iam: IamAccountState): Map<string, OidcProvider> {
  let map = providers.get(iam);
  if (!map) {
    map = new Map();
    providers.set(iam, map);
  }
  return map;
}

function requireProvider(iam: IamAccountState, arn: string): OidcProvider {
  const p = oidcProvidersOf(iam).get(arn);
  if (!p) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

/** Handlers for the OIDC provider calls. */
export const oidcProviderHandlers: Record<string, QueryHandler> = {
  CreateOpenIDConnectProvider: (ctx, params) => {
    const scope = scopeOf(ctx);
    const url = requireParam(params, 'Url');
    if (!/^https:\/\/[^\s]{1,247}$/.test(url)) throw validationError('Invalid Url: it must begin with https://');
    const clientIds = listParam(params, 'ClientIDList');
    const thumbprints = listParam(params, 'ThumbprintList');
    if (clientIds.length > 100)
      throw new AwsError('LimitExceeded', 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100', 409);
    if (thumbprints.length > 5)
      throw new AwsError('LimitExceeded', 'Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: 5', 409);
    for (const t of thumbprints) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw validationError(`Invalid thumbprint ${t}`);
    const host = url.slice('https://'.length).replace(/\/$/, '');
    const arn = `arn:aws:iam::${scope.account.id}:oidc-provider/${host}`;
    const map = oidcProvidersOf(scope.account.iam);
    if (map.has(arn)) throw new AwsError('EntityAlreadyExists', `Provider with url ${url} already exists.`, 409);
    map.set(arn, {
      arn,
      url: host,
      clientIds,
      thumbprints,
      createDate: ctx.world.clock.now(),
      tags: tagsParam(params),
    });
    return { OpenIDConnectProviderArn: arn, Tags: tagsXml(tagsParam(params)) };
  },

  GetOpenIDConnectProvider: (ctx, params) => {
    const p = requireProvider(scopeOf(ctx).account.iam, requireParam(params, 'OpenIDConnectProviderArn'));
    return {
      Url: p.url,
      ClientIDList: p.clientIds,
      ThumbprintList: p.thumbprints,
      CreateDate: p.createDate,
      Tags: tagsXml(p.tags),
    };
  },

  ListOpenIDConnectProviders: (ctx) => ({
    OpenIDConnectProviderList: [...oidcProvidersOf(scopeOf(ctx).account.iam).keys()].sort().map((Arn) => ({ Arn })),
  }),

  DeleteOpenIDConnectProvider: (ctx, params) => {
    const iam = scopeOf(ctx).account.iam;
    const arn = requireParam(params, 'OpenIDConnectProviderArn');
    requireProvider(iam, arn);
    oidcProvidersOf(iam).delete(arn);
    return {};
  },

  TagOpenIDConnectProvider: (ctx, params) => {
    const p = requireProvider(scopeOf(ctx).account.iam, requireParam(params, 'OpenIDConnectProviderArn'));
    for (const t of tagsParam(params)) {
      const at = p.tags.findIndex((x) => x.key === t.key);
      if (at >= 0) p.tags[at] = t;
      else p.tags.push(t);
    }
    return {};
  },
};
