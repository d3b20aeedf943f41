/**
 * Reads gate writes: no update or delete in an account whose latest audit read was not complete ('ok'), or that the
 * plan does not cover. That holds back what acts in the account itself (assignment deletes, provisioning) and what
 * would take access away there through an object shared across accounts: deleting a group or a permission set that
 * holds an assignment in such an account, removing a member from such a group, unassigning it from the Entra app.
 * Creates go on (they change nothing that exists). Pure.
 */
import type { Change } from './changes.js';
import type { Skipped } from './desired.js';

/** A live account assignment: which group holds which permission set in which account. */
export type AssignmentFact = { accountId: string; permissionSet: string; group: string };

function accountOf(c: Change): string | null {
  if (c.kind === 'assignment.delete' || c.kind === 'ps.provision') return c.accountId;
  return null;
}

/** The held account a shared object serves, if any (the first, for the message). */
function servedHeldAccount(c: Change, held: (account: string) => boolean, live: AssignmentFact[]): string | null {
  const lower = (s: string) => s.toLowerCase();
  const byGroup = (group: string) => live.find((a) => lower(a.group) === lower(group) && held(a.accountId));
  switch (c.kind) {
    case 'store.group.delete':
    case 'entra.group.delete':
      return byGroup(c.name)?.accountId ?? null;
    case 'store.member.remove':
    case 'entra.member.remove':
    case 'entra.app.unassign':
      return byGroup(c.group)?.accountId ?? null;
    case 'ps.delete':
      return live.find((a) => a.permissionSet === c.name && held(a.accountId))?.accountId ?? null;
    default:
      return null;
  }
}

/** Why an account that left the plan could not be read now (see `uncoveredAccounts`). */
export type UnreadAccounts = ReadonlyMap<string, string>;

function reasonFor(account: string, covered: ReadonlySet<string>, unread?: UnreadAccounts): string {
  if (unread?.has(account))
    return `account ${account} left the plan and could not be read now (${unread.get(account)}): what iam2sso owns there is left in place; restore access to the account and apply again, or add it back to the audit and the plan`;
  return !covered.has(account)
    ? `account ${account} is not covered by the plan: nothing there is changed or deleted`
    : `account ${account} was not fully read by the latest audit: nothing there is changed or deleted (run \`iam2sso audit\` again)`;
}

/**
 * Accounts outside the plan that changes act in or serve (an owned assignment there, a group or permission set that
 * holds one): each is read again before anything there is deleted, or the changes are held with the account named.
 */
export function uncoveredAccounts(
  changes: Change[],
  covered: ReadonlySet<string>,
  live: AssignmentFact[] = [],
): string[] {
  const out = new Set<string>();
  const outside = (account: string) => !covered.has(account);
  for (const c of changes) {
    const own = accountOf(c);
    if (own && outside(own)) out.add(own);
    else if (!own) {
      const lower = (s: string) => s.toLowerCase();
      const group = 'group' in c ? c.group : c.kind.endsWith('group.delete') ? (c as { name: string }).name : null;
      for (const a of live) {
        if (!outside(a.accountId)) continue;
        const served =
          (c.kind === 'ps.delete' && a.permissionSet === c.name) ||
          (group !== null && c.kind !== 'entra.member.add' && isServingRemoval(c) && lower(a.group) === lower(group));
        if (served) out.add(a.accountId);
      }
    }
  }
  return [...out].sort();
}

function isServingRemoval(c: Change): boolean {
  return [
    'store.group.delete',
    'entra.group.delete',
    'store.member.remove',
    'entra.member.remove',
    'entra.app.unassign',
  ].includes(c.kind);
}

function itemOf(c: Change, account: string): string {
  if (c.kind === 'ps.provision') return `provision ${c.name} to ${account}`;
  if (c.kind === 'assignment.delete') return `assignment ${account}`;
  const target = 'name' in c ? c.name : 'group' in c ? `${c.group}${'upn' in c ? ` member ${c.upn}` : ''}` : c.kind;
  return `${c.kind} ${target} (serves ${account})`;
}

/** The changes that may run, and those held back with the reason. */
export function gateByReads(
  changes: Change[],
  readable: ReadonlySet<string>,
  covered: ReadonlySet<string>,
  live: AssignmentFact[] = [],
  unread?: UnreadAccounts,
): { changes: Change[]; held: (Skipped & { change: Change })[] } {
  const isHeld = (account: string) => !covered.has(account) || !readable.has(account);
  const held: (Skipped & { change: Change })[] = [];
  const out: Change[] = [];
  for (const c of changes) {
    const own = accountOf(c);
    const account = own && isHeld(own) ? own : own ? null : servedHeldAccount(c, isHeld, live);
    if (account) held.push({ item: itemOf(c, account), reason: reasonFor(account, covered, unread), change: c });
    else out.push(c);
  }
  return { changes: out, held };
}
