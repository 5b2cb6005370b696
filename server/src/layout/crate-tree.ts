import * as path from 'path';
import type { CfgExpr } from '../facts/types';
import type { WorkspaceIndex } from '../index/workspace-index';

export interface CrateFile {
  /** Module path from the crate root: [] for lib.rs, ['context'] for context.rs. */
  modPath: string[];
  /** cfgs on the `mod` declarations that lead here. */
  cfg: CfgExpr[];
}

/**
 * Walks the crate's `mod` tree from its root file and returns every file it
 * reaches. Only these files belong to the crate; a stray .rs file that no
 * `mod` names is not compiled, so its bindings do not exist.
 */
export function crateFiles(index: WorkspaceIndex, rootFile: string): Map<string, CrateFile> {
  const out = new Map<string, CrateFile>();
  const queue: { file: string; info: CrateFile }[] = [{ file: rootFile, info: { modPath: [], cfg: [] } }];
  for (let head = 0; head < queue.length; head++) {
    const { file, info } = queue[head];
    if (out.has(file) || !index.has(file)) continue;
    out.set(file, info);
    // path.posix.basename and dirname, for the relative paths the index holds.
    const slash = file.lastIndexOf('/');
    const base = file.slice(slash + 1);
    const ownDir = slash < 0 ? '.' : slash === 0 ? '/' : file.slice(0, slash);
    const childDir = base === 'lib.rs' || base === 'main.rs' || base === 'mod.rs' || file === rootFile ? ownDir : `${ownDir}/${base.endsWith('.rs') ? base.slice(0, -3) : base}`;
    for (const decl of index.modDeclarations(file)) {
      if (decl.inline) continue;
      const scopeDir = decl.scope.length ? `${childDir}/${decl.scope.join('/')}` : childDir;
      let target: string | undefined;
      if (decl.pathAttr) {
        const candidate = path.posix.normalize(`${decl.scope.length ? scopeDir : ownDir}/${decl.pathAttr}`);
        if (index.has(candidate)) target = candidate;
      } else {
        const asFile = `${scopeDir}/${decl.name}.rs`;
        const asDir = `${scopeDir}/${decl.name}/mod.rs`;
        target = index.has(asFile) ? asFile : index.has(asDir) ? asDir : undefined;
      }
      if (target) queue.push({ file: target, info: { modPath: [...info.modPath, ...decl.scope, decl.name], cfg: [...info.cfg, ...decl.cfg] } });
    }
  }
  return out;
}

/**
 * Whether code under these cfgs may be compiled with the given features
 * enabled. Features are known; `test` is off (a wheel is no test build);
 * every other predicate (`unix`, `target_os = "..."`, `Py_LIMITED_API`, a
 * build script's `CRYPTOGRAPHY_IS_LIBRESSL`) may be either: the cfgs may hold
 * when some choice of those makes them all true. So `not(unix)` may hold, and
 * `all(unix, not(unix))` never does; code under `unix` and code under
 * `not(unix)` may each be compiled, but not both together
 * (`cfgActive([...a, ...b])`).
 */
export function cfgActive(cfgs: readonly CfgExpr[], features: ReadonlySet<string>): boolean {
  if (!cfgs.length) return true;
  let atoms: string[] = [];
  for (const c of cfgs) atoms = unknownAtoms(c, atoms);
  if (!atoms.length || atoms.length > MAX_UNKNOWN) {
    // Too many to try every choice (never seen in practice): each counts as true.
    for (const c of cfgs) if (!evalCfg(c, features, atoms, -1)) return false;
    return true;
  }
  for (let choice = 0; choice < 1 << atoms.length; choice++) {
    if (cfgs.every((c) => evalCfg(c, features, atoms, choice))) return true;
  }
  return false;
}

/** Most predicates of unknown value whose every choice `cfgActive` tries. */
const MAX_UNKNOWN = 8;

const atomOf = (c: { text: string }) => c.text.replace(/\s+/g, '');

/** The predicates of unknown value in a cfg (`other` but `test`), added to `into` once each. */
function unknownAtoms(c: CfgExpr, into: string[]): string[] {
  switch (c.kind) {
    case 'feature':
      return into;
    case 'other': {
      const atom = atomOf(c);
      if (atom !== 'test' && !into.includes(atom)) into.push(atom);
      return into;
    }
    case 'all':
    case 'any':
      for (const i of c.items) unknownAtoms(i, into);
      return into;
    case 'not':
      return unknownAtoms(c.item, into);
  }
}

/** A cfg's value when the unknown predicate `atoms[i]` is bit i of `choice` (-1: all true). */
function evalCfg(c: CfgExpr, features: ReadonlySet<string>, atoms: readonly string[], choice: number): boolean {
  switch (c.kind) {
    case 'feature':
      return features.has(c.name);
    case 'other': {
      const atom = atomOf(c);
      return atom !== 'test' && (choice === -1 || ((choice >> atoms.indexOf(atom)) & 1) === 1);
    }
    case 'all':
      return c.items.every((i) => evalCfg(i, features, atoms, choice));
    case 'any':
      return c.items.some((i) => evalCfg(i, features, atoms, choice));
    case 'not':
      return !evalCfg(c.item, features, atoms, choice);
  }
}

/** Features a cfg list requires (positively), e.g. [feature = "postgres"] -> ['postgres']. */
export function requiredFeatures(cfgs: CfgExpr[]): string[] {
  const out: string[] = [];
  for (const c of cfgs) {
    if (c.kind === 'feature') out.push(c.name);
    else if (c.kind === 'all') out.push(...requiredFeatures(c.items));
  }
  return out;
}
