/**
 * iam2sso.yaml: the user's settings, one top-level section per concern. Each section has a reader here in
 * `configSections`; to add a section, add its field to `Iam2ssoConfig` with a default in `defaultConfig` and
 * its reader to the list. Loading reports every problem with file and line before failing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { type ClassificationRules, defaultClassificationRules } from '../core/classify-rules.js';
import type { DecommissionSettings } from '../core/decommission.js';
import { defaultPlanSettings, type PlanSettings } from '../core/plan-settings.js';
import type { EntraConfig } from '../entra/settings.js';
import { type Problem, ValidationFailed } from '../errors.js';
import { classificationSection, overridesSection } from './classification-section.js';
import { decommissionSection } from './decommission-section.js';
import { entraSection } from './entra-section.js';
import { type HardenConfig, hardenSection } from './harden-section.js';
import { planSection } from './plan-section.js';
import { problem, type ReadContext, readMap } from './read.js';

/** The whole configuration. */
export type Iam2ssoConfig = {
  classification: ClassificationRules;
  plan: PlanSettings;
  /** The `entra:` section (absent when the file has none). */
  entra?: EntraConfig;
  /** The `decommission:` section (absent: the defaults). */
  decommission?: DecommissionSettings;
  /** The `harden:` section (absent when the file has none). */
  harden?: HardenConfig;
};

/** Reads one top-level section into the config, recording problems in the context. */
export type ConfigSection = { key: string; read(ctx: ReadContext, node: unknown, config: Iam2ssoConfig): void };

/** Every section the file may have. */
export const configSections: ConfigSection[] = [
  classificationSection,
  overridesSection,
  planSection,
  entraSection,
  decommissionSection,
  hardenSection,
];

/** The configuration when there is no file. */
export function defaultConfig(): Iam2ssoConfig {
  return { classification: defaultClassificationRules(), plan: defaultPlanSettings() };
}

/** The file iam2sso reads when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'iam2sso.yaml';

/** Parses configuration text; returns the config and every problem found. */
export function parseConfig(text: string, file: string): { config: Iam2ssoConfig; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const ctx: ReadContext = { file, lines, problems: [] };
  for (const e of doc.errors)
    ctx.problems.push({ file, line: e.linePos?.[0]?.line, message: e.message.split('\n')[0] });
  const config = defaultConfig();
  if (ctx.problems.length > 0 || doc.contents === null) return { config, problems: ctx.problems };
  const top = readMap(
    ctx,
    doc.contents,
    'the file',
    configSections.map((s) => s.key),
  );
  for (const section of configSections) {
    const entry = top?.get(section.key);
    if (!entry) continue;
    if (entry.value === null || entry.value === undefined) {
      problem(ctx, entry.key, `section ${section.key} is empty`);
      continue;
    }
    section.read(ctx, entry.value, config);
  }
  // In file order, so a reader can fix them top to bottom.
  ctx.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { config, problems: ctx.problems };
}

/**
 * Loads the configuration: the named file (which must exist), else `iam2sso.yaml` in `cwd` if present, else
 * the defaults. Throws ValidationFailed listing every problem.
 */
export function loadConfig(
  path: string | undefined,
  cwd = process.cwd(),
): { config: Iam2ssoConfig; file: string | null } {
  const file = path ?? (existsSync(`${cwd}/${DEFAULT_CONFIG_FILE}`) ? `${cwd}/${DEFAULT_CONFIG_FILE}` : null);
  if (!file) return { config: defaultConfig(), file: null };
  if (!existsSync(file)) throw new ValidationFailed([{ file, message: 'no such file' }]);
  const { config, problems } = parseConfig(readFileSync(file, 'utf8'), file);
  if (problems.length > 0) throw new ValidationFailed(problems);
  return { config, file };
}
