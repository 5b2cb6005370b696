import * as fs from 'fs';
import * as path from 'path';
import { languageOf } from './source';

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', 'target', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'dist', 'build', 'site-packages', '.eggs']);

export interface DiscoverOptions {
  /** Workspace-relative glob patterns to leave out. */
  exclude: string[];
}

/** Converts a glob (`**`, `*`, `?`) to a RegExp over forward-slash relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

export function makeExcluder(patterns: string[]): (relative: string) => boolean {
  const res = patterns.map(globToRegExp);
  return (relative) => res.some((re) => re.test(relative));
}

/** Lists the Rust, Python and TOML files (and their templates) under root, as workspace-relative paths, in path order. */
export function discoverFiles(root: string, options: DiscoverOptions): string[] {
  return [...walkFiles(root, options)].sort();
}

/**
 * The files `discoverFiles` lists, as the walk finds them: those of a folder
 * before those of its subfolders (a crate's `src/lib.rs` comes before the
 * modules under `src/`), in no other order.
 */
export function* walkFiles(root: string, options: DiscoverOptions): Generator<string> {
  const excluded = makeExcluder(options.exclude);
  const folders: [dir: string, rel: string][] = [[root, '']];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    const [dir, rel] = folder;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const subfolders: [string, string][] = [];
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || (entry.name.startsWith('.') && entry.name !== '.angreal') || excluded(childRel)) continue;
        subfolders.push([path.join(dir, entry.name), childRel]);
      } else if (entry.isFile() && languageOf(entry.name) && !excluded(childRel)) {
        yield childRel;
      }
    }
    // Depth first, each folder's subfolders in the order listed.
    for (let i = subfolders.length - 1; i >= 0; i--) folders.push(subfolders[i]);
  }
}
