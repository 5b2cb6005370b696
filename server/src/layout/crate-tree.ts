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

/** Evaluates cfgs for a set of enabled features; predicates other than `feature` count as true (except `test`). */
export function cfgActive(cfgs: CfgExpr[], features: ReadonlySet<string>): boolean {
  for (const c of cfgs) if (!evalCfg(c, features)) return false;
  return true;
}

function evalCfg(c: CfgExpr, features: ReadonlySet<string>): boolean {
  switch (c.kind) {
    case 'feature':
      return features.has(c.name);
    case 'other':
      return c.text.trim() !== 'test';
    case 'all':
      return c.items.every((i) => evalCfg(i, features));
    case 'any':
      return c.items.some((i) => evalCfg(i, features));
    case 'not':
      return !evalCfg(c.item, features);
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
