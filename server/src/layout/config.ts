import type { TomlEntry, TomlValue } from '../facts/types';
import { extractTomlFacts } from '../facts/toml';
import type { Parsers } from '../parsing/parsers';
import { LineIndex } from '../parsing/text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Everything a user can set, in `[tool.bindings-checklist]` of pyproject.toml, in bindings-checklist.toml, or in editor settings. */
export interface Config {
  /** Glob patterns (workspace-relative) of files to leave out. */
  exclude: string[];
  /** Python or Rust names of symbols that stay internal: no downstream link is required for them. */
  internal: string[];
  /** Severity per rule id, or 'off'. */
  rules: Record<string, SeveritySetting>;
  /** The template variable that names a variant (default: the one the templates use, else `backend`). */
  variable?: string;
  /** Variant names (default: the cargo features that gate the #[pymodule]s). */
  variants?: string[];
  /** Crate folders holding the #[pymodule]s (default: every crate with one). */
  crates?: string[];
  /** Wrapper `__init__.py` paths; may hold `{{variable}}`. */
  wrappers?: string[];
  /** The dispatcher package's `__init__.py`. */
  dispatcher?: string;
  /** The public package name users import (default: the dispatcher's, else the wrapper's). */
  package?: string;
  /** Folders whose test files count (default: pytest's testpaths, else everywhere). */
  tests?: string[];
  /** Build scripts that locate wheels. */
  buildScripts?: string[];
  /** The file the configuration came from, if any. */
  source?: string;
}

export const RULE_IDS = [
  'missing-registration', 'missing-wrapper-import', 'missing-dunder-all', 'missing-reexport', 'missing-test',
  'missing-stub', 'unknown-import', 'undefined-dunder-all', 'stale-reexport', 'stale-stub', 'duplicate-python-name',
  'module-name-mismatch', 'wheel-dir', 'incomplete-binding',
] as const;

export function defaultConfig(): Config {
  return { exclude: [], internal: [], rules: {} };
}

export class ConfigError extends Error {
  /** Absolute path of the file, when known (`file` is as displayed). */
  path?: string;

  constructor(readonly file: string, readonly line: number, readonly column: number, readonly detail: string) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);
const STRING_LIST_KEYS: Record<string, keyof Config> = {
  exclude: 'exclude', internal: 'internal', variants: 'variants', crates: 'crates', crate: 'crates',
  wrappers: 'wrappers', wrapper: 'wrappers', tests: 'tests', 'build-scripts': 'buildScripts', 'build-script': 'buildScripts',
};
const STRING_KEYS: Record<string, keyof Config> = { variable: 'variable', dispatcher: 'dispatcher', package: 'package' };

/**
 * Reads a configuration file. In `pyproject.toml` the settings live under
 * `[tool.bindings-checklist]` (absent: null); in any other file at the top
 * level or under the same table. Anything wrong is a ConfigError naming the
 * file, line and column.
 */
export function parseConfigFile(parsers: Parsers, file: string, text: string): Config | null {
  const lines = new LineIndex(text);
  const fail = (offset: number, message: string): never => {
    const p = lines.positionAt(offset);
    throw new ConfigError(file, p.line + 1, p.character + 1, message);
  };
  const facts = extractTomlFacts(parsers, text);
  if (facts.problems.length) fail(facts.problems[0].span.start, `invalid TOML: ${facts.problems[0].message}`);
  const tool = facts.root.get('tool');
  const nested = tool?.value.kind === 'table' ? tool.value.entries.get('bindings-checklist') : undefined;
  let table: Map<string, TomlEntry>;
  if (nested) {
    if (nested.value.kind !== 'table') return fail(nested.value.span.start, '[tool.bindings-checklist] must be a table');
    table = nested.value.entries;
  } else if (file.endsWith('pyproject.toml')) {
    return null;
  } else {
    table = facts.root;
  }
  const config = defaultConfig();
  config.source = file;
  for (const [key, entry] of table) {
    const value = entry.value;
    if (STRING_LIST_KEYS[key]) {
      const list = value.kind === 'string' ? [value] : value.kind === 'array' ? value.items : null;
      if (!list || list.some((v) => v.kind !== 'string')) fail(value.span.start, `\`${key}\` must be a string or a list of strings`);
      (config[STRING_LIST_KEYS[key]] as string[]) = list!.map((v) => (v as { value: string }).value);
    } else if (STRING_KEYS[key]) {
      if (value.kind !== 'string') fail(value.span.start, `\`${key}\` must be a string`);
      (config[STRING_KEYS[key]] as string) = (value as { value: string }).value;
    } else if (key === 'rules') {
      if (value.kind !== 'table') fail(value.span.start, '`rules` must be a table of rule id = severity');
      for (const [rule, setting] of (value as { entries: Map<string, TomlEntry> }).entries) {
        if (!(RULE_IDS as readonly string[]).includes(rule)) fail(setting.keySpan.start, `unknown rule \`${rule}\` (known: ${RULE_IDS.join(', ')})`);
        const v: TomlValue = setting.value;
        if (v.kind !== 'string' || !SEVERITIES.has(v.value)) fail(v.span.start, `severity of \`${rule}\` must be one of error, warning, info, hint, off`);
        config.rules[rule] = (v as { value: string }).value as SeveritySetting;
      }
    } else if (key !== 'tool') {
      fail(entry.keySpan.start, `unknown setting \`${key}\` (known: ${[...Object.keys(STRING_LIST_KEYS), ...Object.keys(STRING_KEYS), 'rules'].join(', ')})`);
    }
  }
  return config;
}

/** Later configs override earlier ones key by key; `rules` merge. */
export function mergeConfig(base: Config, over: Partial<Config>): Config {
  const merged: Config = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    if (k === 'rules') merged.rules = { ...base.rules, ...(v as Config['rules']) };
    else (merged as unknown as Record<string, unknown>)[k] = v;
  }
  return merged;
}
