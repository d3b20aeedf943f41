/**
 * The performer of SCP changes over the Organizations port: the policy id resolved from its name (and from the
 * creates of this run), one call at a time, and Organizations' "already so" answers taken as success (an attach
 * already made, a detach or delete already done), so that a resumed run makes only what is missing.
 */
import type { ScpPort } from '../aws/organizations-scp.js';
import type { Change } from '../core/reconcile/changes.js';
import { isOrgChange } from '../core/reconcile/changes-org.js';
import type { Performer, Resolved } from '../reconcile/executor.js';
import { Semaphore } from '../reconcile/limits.js';

const ALREADY_DONE: Record<string, string> = {
  'scp.attach': 'DuplicatePolicyAttachmentException',
  'scp.detach': 'PolicyNotAttachedException',
  'scp.delete': 'PolicyNotFoundException',
};

/** The performer; `ids` maps policy names to ids and gains the ids of the policies it creates. */
export function scpPerformer(port: ScpPort, ids: Map<string, string>): Performer {
  const one = new Semaphore(1);
  return {
    resolve(c): Resolved | string {
      if (!isOrgChange(c)) return `not an Organizations change: ${c.kind}`;
      if (c.kind === 'scp.create') return {};
      const id = ids.get(c.name);
      return id ? { policyId: id } : `service control policy ${c.name} does not exist`;
    },
    async perform(c, resolved) {
      if (!isOrgChange(c)) throw new Error(`not an Organizations change: ${c.kind}`);
      const id = resolved.policyId ?? ids.get(c.name) ?? '';
      try {
        switch (c.kind) {
          case 'scp.create': {
            const created = await port.create(c.name, c.description, c.content);
            ids.set(c.name, created);
            return { objectId: created };
          }
          case 'scp.update':
            await port.update(id, c.content);
            return undefined;
          case 'scp.delete':
            await port.remove(id);
            ids.delete(c.name);
            return undefined;
          case 'scp.attach':
            await port.attach(id, c.targetId);
            return undefined;
          case 'scp.detach':
            await port.detach(id, c.targetId);
            return undefined;
        }
      } catch (error) {
        if ((error as Error).name === ALREADY_DONE[c.kind]) return undefined;
        throw error;
      }
    },
    limit: <T>(_c: Change, fn: () => Promise<T>) => one.run(fn),
    concurrency: () => 1,
  };
}
