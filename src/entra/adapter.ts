/**
 * The Entra adapter, built in one place from settings: the credential, the Graph client and every port
 * implementation over it. Commands call this once and pass the ports on.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { DirectoryLookup } from '../core/identity-map.js';
import { CloudError } from '../errors.js';
import { createCredential } from './credentials.js';
import { graphDirectoryReader } from './directory-reader.js';
import { findApps, listAssignments, readApp } from './graph-app.js';
import { createGraphApi, type GraphApi } from './graph-client.js';
import { listSyncJobs, listSyncTemplateIds, savedCredentialsWork, userRuleId } from './graph-provisioning.js';
import { graphAppWriter, graphDirectoryWriter } from './graph-writers.js';
import { agentTrusting, sendWithAgent } from './https-transport.js';
import { graphDirectoryLookup } from './lookup.js';
import type { AppReader, AppWriter, DirectoryReader, DirectoryWriter } from './ports.js';
import { type EntraSettings, graphScope } from './settings.js';

/** What the adapter needs besides settings. */
export type EntraAdapterOptions = {
  settings: EntraSettings;
  env: NodeJS.ProcessEnv;
  /** Extra CAs to trust in this process (PEM), e.g. a private endpoint's; NODE_EXTRA_CA_CERTS works too. */
  extraCaPem?: string[];
  /** A credential to use instead of the one the settings name (tests, embedding). */
  credential?: TokenCredential;
  prompt?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for a new gallery app to become readable (default 2 minutes). */
  replicationTimeoutMs?: number;
};

/** Every Entra port, over one Graph client. */
export type EntraAdapter = {
  settings: EntraSettings;
  graph: GraphApi;
  reader: DirectoryReader;
  writer: DirectoryWriter;
  apps: AppReader;
  appWriter: AppWriter;
  lookup: DirectoryLookup;
  federationMetadataUrl(appId: string): string;
};

/** The public federation metadata URL of an app (no authentication, at the authority host). */
export function federationMetadataUrl(settings: EntraSettings, appId: string): string {
  return `${settings.authorityHost}/${encodeURIComponent(settings.tenantId)}/federationmetadata/2007-06/federationmetadata.xml?appid=${encodeURIComponent(appId)}`;
}

/** Builds the adapter. */
export function createEntraAdapter(options: EntraAdapterOptions): EntraAdapter {
  const { settings } = options;
  const agent = options.extraCaPem?.length ? agentTrusting(options.extraCaPem) : undefined;
  const credential = options.credential ?? createCredential(settings, options.env, { agent, prompt: options.prompt });
  const graph = createGraphApi({
    credential,
    graphEndpoint: settings.graphEndpoint,
    scope: graphScope(settings.graphEndpoint),
    extraCaPem: options.extraCaPem,
    clientId: settings.clientId,
    sleep: options.sleep,
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const fetchText = async (url: string): Promise<string> => {
    const response = agent ? await sendWithAgent(new Request(url), agent) : await fetch(url);
    const text = await response.text();
    if (!response.ok) {
      throw new CloudError(
        'entra',
        'FederationMetadataUnavailable',
        `${url} answered ${response.status}: ${text.slice(0, 300)}`,
        undefined,
        'the app needs an active SAML signing certificate; run iam2sso entra setup',
      );
    }
    return text;
  };
  const metadataUrl = (appId: string) => federationMetadataUrl(settings, appId);
  const apps: AppReader = {
    findApps: (name, templateId) => findApps(graph, name, templateId),
    getApp: (spId) => readApp(graph, spId),
    listSyncJobs: (spId) => listSyncJobs(graph, spId),
    listSyncTemplateIds: (spId) => listSyncTemplateIds(graph, spId),
    userRuleId: (spId, jobId) => userRuleId(graph, spId, jobId),
    savedCredentialsWork: (spId, jobId) => savedCredentialsWork(graph, spId, jobId),
    federationMetadata: (appId) => fetchText(metadataUrl(appId)),
    listAssignments: (spId) => listAssignments(graph, spId),
  };
  const reader = graphDirectoryReader(graph);
  return {
    settings,
    graph,
    reader,
    writer: graphDirectoryWriter(graph),
    apps,
    appWriter: graphAppWriter(graph, fetchText, metadataUrl, {
      timeoutMs: options.replicationTimeoutMs ?? 120_000,
      sleep,
    }),
    lookup: graphDirectoryLookup(graph),
    federationMetadataUrl: metadataUrl,
  };
}
