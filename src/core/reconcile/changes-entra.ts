/**
 * The typed changes of `entra setup`: the Identity Center enterprise app in Entra (gallery instantiate, single
 * sign-on mode, SAML URLs, signing certificate, the preferred certificate), its provisioning job (create,
 * credentials, start), the federation metadata file it saves, and those of `entra provision` (a user assigned to the
 * app, a user provisioned on demand), with the before-state each needs for a pure `undoOf`. Every change names its app
 * by display name; the app must be the tool's (it created it, or a person adopted it) for anything but its creation,
 * and a user assignment is removed only if the tool made it. Pure.
 */
import type { ObjectRef } from './changes.js';

/** The SAML URLs of the application: identifier (entity id) and reply (ACS) URLs. */
export type SamlUrls = { identifierUris: string[]; redirectUris: string[] };

/** One change `entra setup` (or its rollback) makes. */
export type EntraSetupChange =
  | { kind: 'entra.app.instantiate'; app: string; templateId: string }
  | { kind: 'entra.app.remove'; app: string }
  | { kind: 'entra.sp.sso-mode'; app: string; to: string | null; from: string | null }
  | { kind: 'entra.app.saml-urls'; app: string; to: SamlUrls; from: SamlUrls }
  | { kind: 'entra.sp.add-certificate'; app: string; displayName: string; endDateTime: string }
  /** `added`: make the certificate this run added the preferred one (its thumbprint is known only then). */
  | { kind: 'entra.sp.preferred-certificate'; app: string; to: string | null; from: string | null; added: boolean }
  | { kind: 'entra.sync.create-job' | 'entra.sync.delete-job'; app: string; templateId: string }
  | { kind: 'entra.sync.save-credentials'; app: string; baseAddress: string }
  | { kind: 'entra.sync.start' | 'entra.sync.pause'; app: string; templateId: string }
  /** The federation metadata Entra publishes for the app, saved to `path`; `previous` is what the file held. */
  | { kind: 'entra.file.federation-metadata'; app: string; path: string; previous: string | null }
  /** The file put back as it was (`content` null: there was no file). The undo of the save. */
  | { kind: 'entra.file.restore'; app: string; path: string; content: string | null }
  /** A user assigned to the app with its User role (`entra provision --assign`), or that assignment removed. */
  | { kind: 'entra.app.user-assign' | 'entra.app.user-unassign'; app: string; upn: string }
  /** Entra asked to provision the user to Identity Center now (no undo: the user stays provisioned). */
  | { kind: 'entra.sync.provision-user'; app: string; upn: string };

/** The kind tags of `EntraSetupChange`. */
export type EntraSetupKind = EntraSetupChange['kind'];

/** The order each kind runs in (merged into the executor's phases). */
export const ENTRA_SETUP_PHASE: Record<EntraSetupKind, number> = {
  'entra.app.instantiate': 0,
  'entra.sp.sso-mode': 1,
  'entra.app.saml-urls': 1,
  'entra.sp.add-certificate': 1,
  'entra.sync.create-job': 1,
  'entra.sync.pause': 1,
  'entra.sp.preferred-certificate': 2,
  'entra.sync.save-credentials': 2,
  'entra.sync.start': 3,
  'entra.file.federation-metadata': 3,
  'entra.app.user-assign': 1,
  'entra.sync.provision-user': 4,
  'entra.file.restore': 5,
  'entra.app.user-unassign': 5,
  'entra.sync.delete-job': 5,
  'entra.app.remove': 7,
};

/** True for the changes of `entra setup`. */
export function isEntraSetupChange(c: { kind: string }): c is EntraSetupChange {
  return c.kind in ENTRA_SETUP_PHASE;
}

const lower = (s: string) => s.toLowerCase();

/** The app object every setup change acts on. */
export function entraAppRef(app: string): ObjectRef {
  return { kind: 'entra-app', key: lower(app) };
}

/** A user's assignment to the app, owned only when the tool made it. */
export function appUserRef(app: string, upn: string): ObjectRef {
  return { kind: 'entra-app-user-assignment', key: `${lower(app)}|${lower(upn)}` };
}

/** A stable id: the same in every run that makes the same change. */
export function entraSetupChangeId(c: EntraSetupChange): string {
  return 'upn' in c ? `${c.kind}:${lower(c.app)}:${lower(c.upn)}` : `${c.kind}:${lower(c.app)}`;
}

/** The app an instantiate creates; the user assignment an assign makes. */
export function entraSetupCreated(c: EntraSetupChange): ObjectRef | null {
  if (c.kind === 'entra.app.user-assign') return appUserRef(c.app, c.upn);
  return c.kind === 'entra.app.instantiate' ? entraAppRef(c.app) : null;
}

/** The app a remove deletes; the user assignment an unassign removes. */
export function entraSetupDeleted(c: EntraSetupChange): ObjectRef | null {
  if (c.kind === 'entra.app.user-unassign') return appUserRef(c.app, c.upn);
  return c.kind === 'entra.app.remove' ? entraAppRef(c.app) : null;
}

/**
 * Every change but the creation needs the app to be the tool's; an unassign needs the assignment to be (the tool
 * made it). Putting a local file back, and provisioning a user on demand, change nothing the tool could own.
 */
export function entraSetupOwnerCheck(c: EntraSetupChange): ObjectRef | null {
  switch (c.kind) {
    case 'entra.app.instantiate':
    case 'entra.file.restore':
    case 'entra.sync.provision-user':
      return null;
    case 'entra.app.user-unassign':
      return appUserRef(c.app, c.upn);
    default:
      return entraAppRef(c.app);
  }
}

/**
 * The change that reverts `c`, or null when none can: a removed app cannot be brought back; an added certificate
 * stays (inactive once the preferred one is set back; Graph keeps no way to remove only it through this port); saved
 * SCIM credentials cannot be restored because the previous token was never stored.
 */
export function entraSetupUndo(c: EntraSetupChange): EntraSetupChange | null {
  switch (c.kind) {
    case 'entra.app.instantiate':
      return { kind: 'entra.app.remove', app: c.app };
    case 'entra.sp.sso-mode':
      return { ...c, to: c.from, from: c.to };
    case 'entra.app.saml-urls':
      return { ...c, to: c.from, from: c.to };
    case 'entra.sp.preferred-certificate':
      return { ...c, to: c.from, from: c.to, added: false };
    case 'entra.sync.create-job':
      return { ...c, kind: 'entra.sync.delete-job' };
    case 'entra.sync.start':
      return { ...c, kind: 'entra.sync.pause' };
    case 'entra.sync.pause':
      return { ...c, kind: 'entra.sync.start' };
    case 'entra.file.federation-metadata':
      return { kind: 'entra.file.restore', app: c.app, path: c.path, content: c.previous };
    case 'entra.app.user-assign':
      return { ...c, kind: 'entra.app.user-unassign' };
    case 'entra.app.user-unassign':
      return { ...c, kind: 'entra.app.user-assign' };
    default:
      return null;
  }
}

/** One line for people. */
export function describeEntraSetupChange(c: EntraSetupChange): string {
  const app = `Entra app '${c.app}'`;
  switch (c.kind) {
    case 'entra.app.instantiate':
      return `+ ${app} from gallery template ${c.templateId}`;
    case 'entra.app.remove':
      return `- ${app} (application and service principal)`;
    case 'entra.sp.sso-mode':
      return `~ ${app} single sign-on mode ${c.from ?? 'none'} -> ${c.to ?? 'none'}`;
    case 'entra.app.saml-urls':
      return `~ ${app} SAML identifier [${c.to.identifierUris.join(', ')}] reply URL [${c.to.redirectUris.join(', ')}]`;
    case 'entra.sp.add-certificate':
      return `+ ${app} signing certificate valid until ${c.endDateTime.slice(0, 10)}`;
    case 'entra.sp.preferred-certificate':
      return `~ ${app} active signing certificate ${c.added ? 'the new one' : (c.to ?? 'none')}`;
    case 'entra.sync.create-job':
      return `+ ${app} provisioning job (template ${c.templateId})`;
    case 'entra.sync.delete-job':
      return `- ${app} provisioning job (template ${c.templateId})`;
    case 'entra.sync.save-credentials':
      return `~ ${app} SCIM credentials for ${c.baseAddress}`;
    case 'entra.sync.start':
      return `~ ${app} provisioning started`;
    case 'entra.sync.pause':
      return `~ ${app} provisioning paused`;
    case 'entra.file.federation-metadata':
      return `${c.previous === null ? '+' : '~'} federation metadata of ${app} saved to ${c.path}`;
    case 'entra.file.restore':
      return c.content === null
        ? `- federation metadata file ${c.path}`
        : `~ federation metadata file ${c.path} put back as it was`;
    case 'entra.app.user-assign':
      return `+ ${app} user assignment ${c.upn}`;
    case 'entra.app.user-unassign':
      return `- ${app} user assignment ${c.upn}`;
    case 'entra.sync.provision-user':
      return `~ ${app} provision ${c.upn} on demand`;
  }
}

/** Whether `c` must wait for `p` (both setup changes): everything on an app follows its creation, and so on. */
export function entraSetupNeeds(c: EntraSetupChange, p: EntraSetupChange): boolean {
  if (lower(c.app) !== lower(p.app)) return false;
  if (p.kind === 'entra.app.instantiate') return c.kind !== 'entra.app.instantiate';
  if (c.kind === 'entra.sp.preferred-certificate') return p.kind === 'entra.sp.add-certificate';
  if (c.kind === 'entra.sync.save-credentials') return p.kind === 'entra.sync.create-job';
  if (c.kind === 'entra.sync.start')
    return p.kind === 'entra.sync.create-job' || p.kind === 'entra.sync.save-credentials';
  if (c.kind === 'entra.sync.delete-job') return p.kind === 'entra.sync.pause';
  if (c.kind === 'entra.file.federation-metadata')
    return ['entra.sp.add-certificate', 'entra.sp.preferred-certificate', 'entra.app.saml-urls'].includes(p.kind);
  if (c.kind === 'entra.sync.provision-user')
    return p.kind === 'entra.app.user-assign' && lower(p.upn) === lower(c.upn);
  return false;
}

/** The apps a set of undo records removes (lower-cased). */
export function removedApps(undos: { kind: string }[]): Set<string> {
  return new Set(
    undos.filter((u) => u.kind === 'entra.app.remove').map((u) => lower((u as unknown as EntraSetupChange).app)),
  );
}

/**
 * A rollback's undos with those on an app that the run's undo records remove left out (whether this rollback removes
 * it or an earlier one did): removing the application and its service principal takes its settings, certificates and
 * provisioning job with it.
 */
export function collapseRemovedApps<T extends { kind: string }>(undos: T[], removed = removedApps(undos)): T[] {
  return undos.filter(
    (u) =>
      !isEntraSetupChange(u) ||
      u.kind === 'entra.app.remove' ||
      u.kind === 'entra.file.restore' ||
      !removed.has(lower((u as unknown as EntraSetupChange).app)),
  );
}
