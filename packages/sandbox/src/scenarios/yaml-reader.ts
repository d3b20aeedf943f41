/**
 * Reads values out of a parsed YAML document while collecting every problem with the line it is on,
 * so a scenario file with several mistakes is reported once, completely.
 */
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';

/** A problem in a scenario file: which file, which line, what is wrong. */
export type ScenarioProblem = { file: string; line?: number; message: string };

/** Thrown when a scenario file cannot be used; carries every problem found. */
export class ScenarioFileError extends Error {
  readonly problems: ScenarioProblem[];
  constructor(problems: ScenarioProblem[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
    this.problems = problems;
  }
}

export type Path = (string | number)[];
export type YamlMap = Record<string, unknown>;

/** A parsed file plus the problems found in it so far. */
export class YamlReader {
  readonly problems: ScenarioProblem[] = [];
  readonly root: unknown;
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true });
    for (const e of [...this.doc.errors, ...this.doc.warnings])
      this.problems.push({ file, line: e.linePos?.[0].line, message: e.message.split('\n')[0] });
    this.root = this.doc.errors.length ? undefined : this.doc.toJS();
  }

  /** The line of the node at `path`, or of its nearest ancestor that has one. */
  lineOf(path: Path): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  /** The line of the key `key` in the mapping at `path` (where a missing or unknown field is reported). */
  private keyLine(path: Path, key: string): number | undefined {
    const map = this.doc.getIn(path, true) as { items?: { key: unknown }[] } | undefined;
    const pair = map?.items?.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key);
    if (pair && isNode(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]).line;
    return this.lineOf(path);
  }

  problem(path: Path, message: string, atKey?: string): void {
    const line = atKey === undefined ? this.lineOf(path) : this.keyLine(path, atKey);
    this.problems.push({ file: this.file, line, message });
  }

  /** Reports keys of the mapping that are not in `allowed` (usually typos). */
  checkKeys(map: YamlMap, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(map))
      if (!allowed.includes(key))
        this.problem(path, `unknown field "${key}" (expected one of: ${allowed.join(', ')})`, key);
  }

  map(value: unknown, path: Path, what: string): YamlMap | undefined {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as YamlMap;
    this.problem(path, `${what} must be a mapping`);
    return undefined;
  }

  list(value: unknown, path: Path, what: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.problem(path, `${what} must be a list`);
    return [];
  }

  string(map: YamlMap, key: string, path: Path, opts: { required?: boolean; pattern?: RegExp; hint?: string } = {}) {
    const value = map[key];
    if (value === undefined || value === null) {
      if (opts.required) this.problem(path, `missing required field "${key}"`);
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.problem([...path, key], `"${key}" must be a string`);
      return undefined;
    }
    const text = String(value);
    if (opts.pattern && !opts.pattern.test(text)) {
      this.problem([...path, key], `"${key}" ${JSON.stringify(text)} is not valid${opts.hint ? `: ${opts.hint}` : ''}`);
      return undefined;
    }
    return text;
  }

  number(map: YamlMap, key: string, path: Path, min: number, max: number): number | undefined {
    const value = map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.problem([...path, key], `"${key}" must be a number from ${min} to ${max}, not ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(map: YamlMap, key: string, path: Path): boolean | undefined {
    const value = map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problem([...path, key], `"${key}" must be true or false, not ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(map: YamlMap, key: string, path: Path, values: readonly T[], required = false) {
    const text = this.string(map, key, path, { required });
    if (text === undefined) return undefined;
    if (!values.includes(text as T)) {
      this.problem([...path, key], `"${key}" must be one of ${values.join(', ')}, not "${text}"`);
      return undefined;
    }
    return text as T;
  }

  strings(map: YamlMap, key: string, path: Path): string[] {
    const out: string[] = [];
    this.list(map[key], [...path, key], `"${key}"`).forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else this.problem([...path, key, i], `"${key}" entries must be strings`);
    });
    return out;
  }

  /** Throws every problem collected, if there are any. */
  finish(): void {
    if (!this.problems.length) return;
    throw new ScenarioFileError([...this.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
}
