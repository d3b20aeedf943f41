/**
 * The performer of `entra harden`'s changes (and of their undos in `rollback`): Conditional Access policies and
 * PIM for Groups eligibilities over the harden ports, and the removal (or return) of a standing group member over
 * the directory writer. Names are resolved to object ids through Graph when a change runs, once each.
 */
import { type Change, describeChange } from '../core/reconcile/changes.js';
import { type CaPolicySpec, isHardenChange } from '../core/reconcile/changes-harden.js';
import { type Performer, routePerformer } from '../reconcile/executor.js';
import type { GraphApi } from './graph-client.js';
import { graphHardenReader, graphHardenWriter } from './graph-harden.js';
import type { CaPolicyBody, HardenReader, HardenWriter } from './harden-ports.js';
import type { DirectoryReader, DirectoryWriter } from './ports.js';

/** What the performer calls. */
export type HardenPorts = {
  reader: DirectoryReader;
  writer: DirectoryWriter;
  harden: HardenReader;
  hardenWriter: HardenWriter;
};

/** The Graph body of the tool's policy: MFA for the app, for the plan's groups, without the excluded users. */
export function policyBody(spec: CaPolicySpec): CaPolicyBody {
  return {
    displayName: spec.displayName,
    state: spec.state,
    conditions: {
      clientAppTypes: ['all'],
      applications: { includeApplications: [spec.appId] },
      users: { includeGroups: spec.includeGroups, excludeUsers: spec.excludeUsers },
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
}

const JUSTIFICATION = 'iam2sso entra harden: membership of a privileged AWS group is eligible, not standing';

function once<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    const k = key.toLowerCase();
    if (!cache.has(k)) cache.set(k, load(key));
    return cache.get(k)!;
  };
}

/** The performer over the Entra ports. */
export function hardenPerformer(ports: HardenPorts): Performer {
  const groupId = once(async (name) => {
    const found = (await ports.reader.findGroupsByName(name)).filter((g) => g.displayName === name);
    if (found.length !== 1) throw new Error(`Entra group ${name}: ${found.length} found, expected one`);
    return found[0].id;
  });
  const userId = once(async (upn) => {
    const user = await ports.reader.findUserByUpn(upn);
    if (!user) throw new Error(`no Entra user ${upn}`);
    return user.id;
  });
  const policyId = async (name: string) => {
    const found = (await ports.harden.listPolicies()).filter((p) => p.displayName === name);
    if (found.length !== 1) throw new Error(`Conditional Access policy ${name}: ${found.length} found, expected one`);
    return found[0].id;
  };
  return {
    resolve: () => ({}),
    async perform(change: Change) {
      if (!isHardenChange(change)) {
        if (change.kind !== 'entra.member.remove' && change.kind !== 'entra.member.add')
          throw new Error(`entra harden does not make ${describeChange(change)}`);
        const [g, u] = await Promise.all([groupId(change.group), userId(change.upn)]);
        const outcome =
          change.kind === 'entra.member.remove'
            ? await ports.writer.removeMember(g, u)
            : await ports.writer.addMember(g, u);
        return { objectId: null, existing: outcome === 'already' };
      }
      switch (change.kind) {
        case 'entra.ca.create':
          return { objectId: await ports.hardenWriter.createPolicy(policyBody(change.spec)) };
        case 'entra.ca.state':
          await ports.hardenWriter.setPolicyState(await policyId(change.name), change.to);
          return undefined;
        case 'entra.ca.groups':
          await ports.hardenWriter.setPolicyGroups(await policyId(change.name), change.to);
          return undefined;
        case 'entra.ca.delete':
          await ports.hardenWriter.deletePolicy(await policyId(change.name));
          return undefined;
        case 'entra.pim.rules': {
          const rules = await ports.harden.activationRules(await groupId(change.group));
          if (!rules) throw new Error(`Entra group ${change.group} has no PIM policy`);
          await ports.hardenWriter.setActivationRules(rules.policyId, change.to);
          return undefined;
        }
        case 'entra.pim.eligible.add':
        case 'entra.pim.eligible.remove': {
          const [g, u] = await Promise.all([groupId(change.group), userId(change.upn)]);
          const write =
            change.kind === 'entra.pim.eligible.add'
              ? ports.hardenWriter.addEligibility
              : ports.hardenWriter.removeEligibility;
          await write(g, u, JUSTIFICATION);
          return { objectId: `${g}|${u}` };
        }
      }
    },
    limit: (_c, fn) => fn(),
    concurrency: () => 4,
  };
}

/** The harden performer over an adapter's Graph client and directory ports (entra harden, rollback). */
export function adapterHardenPerformer(entra: {
  graph: GraphApi;
  reader: DirectoryReader;
  writer: DirectoryWriter;
}): Performer {
  return hardenPerformer({
    reader: entra.reader,
    writer: entra.writer,
    harden: graphHardenReader(entra.graph),
    hardenWriter: graphHardenWriter(entra.graph),
  });
}

/** Sends harden's changes to its performer and the rest to `other` (rollback replays both kinds). */
export function withHardenPerformer(other: Performer, harden: Performer): Performer {
  return routePerformer(isHardenChange, harden, other);
}
