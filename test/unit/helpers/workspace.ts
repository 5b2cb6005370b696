import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runChecks } from '../../../server/src/engine';
import { fixAll } from '../../../server/src/fixes/fix-all';
import { makeSourceFile } from '../../../server/src/index/source';
import { WorkspaceIndex } from '../../../server/src/index/workspace-index';
import { Config, defaultConfig, mergeConfig } from '../../../server/src/layout/config';
import { locate } from '../../../server/src/output/format';
import type { Parsers } from '../../../server/src/parsing/parsers';

export type Files = Record<string, string>;

export const REPO = path.resolve(__dirname, '../../..');

/** A maker of fresh temporary folders, all removed after the suite it was made in. */
export function temporaryFolders(prefix: string): () => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** Writes every file of a fixture folder under root; returns them. */
export function writeFixture(root: string, fixture: string): Files {
  const files = readFixture(fixture);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return files;
}

/** Every file of a fixture folder, by workspace-relative path. */
export function readFixture(dir: string): Files {
  const root = path.resolve(REPO, dir);
  const out: Files = {};
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else out[childRel] = fs.readFileSync(path.join(abs, entry.name), 'utf8');
    }
  };
  walk(root, '');
  return out;
}

export function indexFiles(parsers: Parsers, files: Files): WorkspaceIndex {
  const index = new WorkspaceIndex(parsers);
  for (const [p, text] of Object.entries(files)) {
    const file = makeSourceFile(p, text);
    if (file) index.set(file);
  }
  return index;
}

export function check(parsers: Parsers, files: Files, config: Partial<Config> = {}) {
  const index = indexFiles(parsers, files);
  const cfg = mergeConfig(defaultConfig(), config);
  const result = runChecks(index, cfg);
  return { index, result, located: result.findings.map((f) => locate(index, f)) };
}

/** Applies every preferred fix; returns the fixed files. */
export function fix(parsers: Parsers, files: Files, config: Partial<Config> = {}): Files {
  const index = indexFiles(parsers, files);
  const { changed } = fixAll(index, mergeConfig(defaultConfig(), config));
  return { ...files, ...Object.fromEntries(changed) };
}

/** Replaces exactly one occurrence of `from` (failing loudly when the fixture changed). */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, at).split('\n').length;
}
