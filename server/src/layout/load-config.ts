import * as fs from 'fs';
import * as path from 'path';
import type { Parsers } from '../parsing/parsers';
import { Config, ConfigError, defaultConfig, parseConfigFile } from './config';

/**
 * The configuration for a workspace root: an explicit file if given (it must
 * exist), else `bindings-checklist.toml`, else `[tool.bindings-checklist]` of
 * the root pyproject.toml, else defaults.
 */
export function loadConfig(parsers: Parsers, root: string, explicit?: string): Config {
  const candidates = explicit ? [path.resolve(explicit)] : [path.join(root, 'bindings-checklist.toml'), path.join(root, 'pyproject.toml')];
  for (const file of candidates) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if (explicit) throw new ConfigError(explicit, 1, 1, `cannot read the configuration file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const display = path.relative(process.cwd(), file) || file;
    let config;
    try {
      config = parseConfigFile(parsers, display, text);
    } catch (e) {
      if (e instanceof ConfigError) e.path = file;
      throw e;
    }
    if (config) return config;
  }
  return defaultConfig();
}
