import type { Config, SeveritySetting } from '../layout/config';

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Editor settings under `bindingsChecklist.*`; mirrors `contributes.configuration` in package.json. */
export interface Settings {
  enable: boolean;
  /** Severity per rule id, over the configuration file's. */
  rules: Record<string, SeveritySetting>;
  /** Configuration file, relative to the workspace folder; empty: the usual places. */
  configFile: string;
  /** Symbols that stay internal, added to the configuration file's. */
  internal: string[];
  /** Glob patterns of files to leave out, added to the configuration file's. */
  exclude: string[];
  logLevel: LogLevel;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  configFile: '',
  internal: [],
  exclude: [],
  logLevel: 'info',
};

const LOG_LEVELS: LogLevel[] = ['off', 'error', 'warn', 'info', 'debug', 'trace'];
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Reads whatever the client sent, keeping only well-formed values. */
export function parseSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const rules: Record<string, SeveritySetting> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, sev] of Object.entries(r.rules as Record<string, unknown>)) if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeveritySetting;
  }
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    rules,
    configFile: typeof r.configFile === 'string' ? r.configFile : DEFAULT_SETTINGS.configFile,
    internal: strings(r.internal),
    exclude: strings(r.exclude),
    logLevel: LOG_LEVELS.includes(r.logLevel as LogLevel) ? (r.logLevel as LogLevel) : DEFAULT_SETTINGS.logLevel,
  };
}

/** Editor settings over the file's configuration: severities override, lists add. */
export function applySettings(config: Config, settings: Settings): Config {
  return {
    ...config,
    rules: { ...config.rules, ...settings.rules },
    internal: [...config.internal, ...settings.internal],
    exclude: [...config.exclude, ...settings.exclude],
  };
}

export function logEnabled(settings: Settings, level: Exclude<LogLevel, 'off'>): boolean {
  return settings.logLevel !== 'off' && LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(settings.logLevel);
}
