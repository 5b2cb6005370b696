import type { Chain } from './chain/build';
import { ChainUpdate, localRustChange, mapPosition, sameModuloEdit, shiftSpan, updatePythonFile, updateRustFile } from './chain/update';
import { checkChain, checkWorkspace, CheckResult, resultOf } from './engine';
import type { RustFacts } from './facts/types';
import { scanModDeclarations } from './index/mod-scan';
import type { SourceFile } from './index/source';
import type { WorkspaceIndex } from './index/workspace-index';
import type { Config } from './layout/config';
import { dispatcherCandidates, dispatcherScore, locatesWheels, TEST_FILE, testedPackages, testsPackages } from './layout/detect';
import { unreadRanges } from './parsing/rust-skip';
import type { SkipRange } from './parsing/parsers';
import { isTemplatePath, placeholderNames } from './parsing/template';
import { EditRegion, editRegion } from './parsing/text';
import { SharedInput, sharedInputs } from './rules/shared';
import type { Finding, FixIntent } from './rules/types';

export { editRegion, sameModuloEdit };
export type { EditRegion };

/** A result whose chains may describe older positions of some files (findings moved along with edits); `fresh` gives one whose chains are current. */
export interface IncrementalResult extends CheckResult {
  shifted?: boolean;
}

interface Snapshot {
  result: IncrementalResult;
  /** The findings of each chain (`checkChain`), the result's being these sorted. */
  byChain: Finding[][];
  config: Config;
  files: Map<string, SourceFile>;
  /** Facts of the Rust files that hold bindings, with the positions of the current text once `moved` is applied. */
  facts: Map<string, RustFacts>;
  /** Edits inside unread ranges since `facts` of a file were last moved along (applied when the facts are next needed). */
  moved: Map<string, EditRegion[]>;
  /** The facts the chains were built from: older than `facts` for the files in `stale`. */
  chainFacts: Map<string, RustFacts>;
  /** Rust files edited since the chains were built, by edits that moved their facts and changed nothing else. */
  stale: Set<string>;
  /** The ranges the facts never read (`unreadRanges`) of the Rust files in `facts`, computed when first needed. */
  bodies: Map<string, readonly SkipRange[]>;
  /** Every file some chain reads. */
  involved: Set<string>;
}

const POSITION_KEYS = new Set(['start', 'end', 'offset']);

function shiftFix(fix: FixIntent, file: string, edit: EditRegion): FixIntent {
  if (fix.kind === 'all') return { ...fix, intents: fix.intents.map((f) => shiftFix(f, file, edit)) };
  if ('span' in fix && fix.file === file) return { ...fix, span: shiftSpan(fix.span, edit) };
  return fix;
}

export function shiftFinding(f: Finding, file: string, edit: EditRegion): Finding {
  return {
    ...f,
    span: f.file === file ? shiftSpan(f.span, edit) : f.span,
    related: f.related.map((r) => (r.file === file ? { ...r, span: shiftSpan(r.span, edit) } : r)),
    fixes: f.fixes.map((x) => shiftFix(x, file, edit)),
  };
}

const RUST_CRATE_ROOT = /(^|\/)src\/(lib|main)\.rs$/;

/**
 * Re-checks only what a change affects. When the only change since the last
 * result is an edit to one file:
 *
 * - an edit that leaves everything the checks read the same (typing inside a
 *   function body, a comment, a file no chain reads) keeps the previous
 *   findings, moved along with the edit;
 * - an edit to a Rust file with bindings (registrations, helper calls,
 *   declarations' Python names and cfgs), to a wrapper, the dispatcher, a
 *   test or a build script rebuilds that file's part of the chains, works out
 *   the Python names whose part changed, runs the rules for those names only
 *   (and the rules about the whole chain) and keeps every other finding,
 *   moved along with the edit.
 *
 * Anything else (files created or deleted, configuration, TOML, templates of
 * Rust, `mod`/`use` lines, a declaration added or renamed in Rust, a file
 * taking another role) runs every check again. Either way the findings are
 * the ones `runChecks` gives, in its order.
 */
export class IncrementalChecker {
  private last?: Snapshot;
  fullChecks = 0;
  shortcuts = 0;
  /** Checks that re-ran the rules for some names only. */
  updates = 0;
  /** Incremental checks that failed with an error (a bug: the full check that follows is right). */
  failures = 0;

  check(index: WorkspaceIndex, config: Config): IncrementalResult {
    const previous = this.last;
    if (previous && previous.config === config) {
      const kept = this.guarded(() => this.incremental(index, previous));
      if (kept) return kept;
    }
    return this.full(index, config);
  }

  private guarded(attempt: () => IncrementalResult | undefined): IncrementalResult | undefined {
    try {
      return attempt();
    } catch {
      this.failures++;
      return undefined;
    }
  }

  /** A result whose chains describe the current text (what fixes need). */
  fresh(index: WorkspaceIndex, config: Config): IncrementalResult {
    const last = this.last;
    if (last && last.result.generation === index.generation && last.config === config) {
      if (!last.result.shifted) return last.result;
      const refreshed = this.guarded(() => this.update(index, last, undefined));
      if (refreshed) return refreshed;
    }
    return this.full(index, config);
  }

  reset(): void {
    this.last = undefined;
  }

  private full(index: WorkspaceIndex, config: Config): IncrementalResult {
    this.fullChecks++;
    const { result, byChain } = checkWorkspace(index, config);
    // The indexes checks for some names use (by `__all__` entry, by re-export) are built now rather than at the first edit.
    for (const chain of result.chains) checkChain(chain, config, new Set());
    const involved = new Set<string>();
    const facts = new Map<string, RustFacts>();
    for (const chain of result.chains) {
      const p = chain.project;
      for (const f of p.bindingFiles) {
        involved.add(f);
        const view = index.rust(f);
        if (view) facts.set(f, view.facts);
      }
      for (const f of [...p.files.keys(), ...p.cargoFiles, ...p.pyprojectFiles, ...p.tests, ...p.buildScripts, ...p.wrappers.map((w) => w.path)]) involved.add(f);
      if (p.dispatcher) involved.add(p.dispatcher);
    }
    const files = new Map<string, SourceFile>();
    for (const file of index.files()) files.set(file.path, file);
    this.last = { result, byChain, config, files, facts, moved: new Map(), chainFacts: new Map(facts), stale: new Set(), involved, bodies: new Map() };
    return result;
  }

  private incremental(index: WorkspaceIndex, previous: Snapshot): IncrementalResult | undefined {
    let changed: string | undefined;
    let count = 0;
    const files = index.files();
    for (const file of files) {
      if (previous.files.get(file.path) !== file) {
        changed = file.path;
        if (++count > 1) return undefined;
      }
    }
    if (count === 0) {
      // Nothing changed but the generation (a file set to the same object).
      if (previous.files.size !== files.length) return undefined;
      const result = { ...previous.result, generation: index.generation };
      previous.result = result;
      return result;
    }
    if (previous.files.size !== files.length) return undefined;
    const path = changed!;
    const before = previous.files.get(path);
    const after = index.get(path)!;
    if (!before || after.template !== before.template) return undefined;
    const edit = editRegion(before.text, after.text);
    if (after.language === 'rust') {
      if (after.template) return undefined;
      if (RUST_CRATE_ROOT.test(path) && !previous.involved.has(path)) return undefined;
      const held = previous.facts.has(path);
      const holds = index.mayHoldBindings(path);
      if (held) {
        if (!holds) return undefined;
        const oldBodies = previous.bodies.get(path) ?? unreadRanges(before.text);
        // The new ranges are only needed when the edit is inside an old one.
        const newBodies = withinOne(oldBodies, edit) ? unreadRanges(after.text) : undefined;
        if (newBodies) previous.bodies.set(path, newBodies);
        else previous.bodies.delete(path);
        if (newBodies && insideSameBody(oldBodies, newBodies, edit)) {
          // Only the inside of a body the facts never read changed: the parse
          // would differ by blank space alone, so the facts just move (when next needed).
          const moved = previous.moved.get(path);
          if (moved) moved.push(edit);
          else previous.moved.set(path, [edit]);
          return this.shift(index, previous, path, after, edit, true);
        }
        const now = index.rust(path)!.facts;
        if (sameModuloEdit(factsOf(previous, path), now, edit)) {
          previous.facts.set(path, now);
          return this.shift(index, previous, path, after, edit, true);
        }
        if (!localRustChange(factsOf(previous, path), now, edit)) return undefined;
        return this.update(index, previous, { path, file: after, edit, facts: now });
      }
      if (holds) return undefined;
      if (previous.involved.has(path) && !sameModuloEdit(stripSpans(scanModDeclarations(before.text)), stripSpans(scanModDeclarations(after.text)), edit)) return undefined;
      return this.shift(index, previous, path, after, edit, false);
    }
    if (after.language === 'python') {
      if (!sameRoles(index, previous, path, before.text, after.text)) return undefined;
      if (!previous.involved.has(path)) return this.shift(index, previous, path, after, edit, false);
      return this.update(index, previous, { path, file: after, edit });
    }
    return undefined;
  }

  /** The previous findings moved along with an edit that changed nothing they depend on. */
  private shift(index: WorkspaceIndex, previous: Snapshot, path: string, after: SourceFile, edit: EditRegion, stale: boolean): IncrementalResult {
    this.shortcuts++;
    previous.files.set(path, after);
    if (stale) previous.stale.add(path);
    const moves = previous.result.findings.some((f) => touches(f, path));
    if (moves) previous.byChain = previous.byChain.map((list) => list.map((f) => (touches(f, path) ? shiftFinding(f, path, edit) : f)));
    const findings = moves ? previous.result.findings.map((f) => (touches(f, path) ? shiftFinding(f, path, edit) : f)) : previous.result.findings;
    const result: IncrementalResult = { ...previous.result, findings, generation: index.generation, shifted: previous.stale.size > 0 };
    previous.result = result;
    return result;
  }

  /**
   * Chains rebuilt for one changed file (and for the files whose chain data is
   * older than their text), rules run again for the names that changed.
   */
  private update(index: WorkspaceIndex, previous: Snapshot, change: { path: string; file: SourceFile; edit: EditRegion; facts?: RustFacts } | undefined): IncrementalResult | undefined {
    const config = previous.config;
    const chains = [...previous.result.chains];
    const affected = chains.map(() => new Set<string>());
    const apply = (i: number, update: ChainUpdate | undefined): boolean => {
      if (!update) return false;
      chains[i] = update.chain;
      for (const name of update.affected) affected[i].add(name);
      return true;
    };
    // Chain data of files edited since is brought up to date first (their findings already moved along).
    const refreshed: string[] = [];
    for (const file of previous.stale) {
      if (file === change?.path) continue;
      for (let i = 0; i < chains.length; i++) {
        if (chains[i].project.bindingFiles.includes(file) && !apply(i, updateRustFile(chains[i], file, previous.chainFacts.get(file)!, factsOf(previous, file)))) return undefined;
      }
      refreshed.push(file);
    }
    if (change?.facts) {
      for (let i = 0; i < chains.length; i++) {
        if (chains[i].project.bindingFiles.includes(change.path) && !apply(i, updateRustFile(chains[i], change.path, previous.chainFacts.get(change.path)!, change.facts))) return undefined;
      }
    } else if (change) {
      for (let i = 0; i < chains.length; i++) {
        if (readsPython(chains[i], change.path) && !apply(i, updatePythonFile(chains[i], index, change.path, change.edit))) return undefined;
      }
    }

    // A name's findings depend on its own part of the chain and on what every name shares, which must not have changed.
    const older = change && previous.stale.has(change.path) ? [...refreshed, change.path] : refreshed;
    for (let i = 0; i < chains.length; i++) {
      if (chains[i] !== previous.result.chains[i] && !sameShared(sharedInputs(previous.result.chains[i]), sharedInputs(chains[i]), change, older)) return undefined;
    }

    const byChain = previous.byChain.map((list, i) => {
      const moved = change ? list.map((f) => (touches(f, change.path) ? shiftFinding(f, change.path, change.edit) : f)) : list;
      if (chains[i] === previous.result.chains[i]) return moved;
      const names = affected[i];
      return [...moved.filter((f) => f.symbol !== null && !names.has(f.symbol)), ...checkChain(chains[i], config, names)];
    });
    const result: IncrementalResult = resultOf({ projects: chains.map((c) => c.project) }, chains, byChain, index.generation);

    this.updates++;
    for (const file of refreshed) {
      previous.chainFacts.set(file, factsOf(previous, file));
      previous.stale.delete(file);
    }
    if (change) {
      previous.files.set(change.path, change.file);
      if (change.facts) {
        previous.facts.set(change.path, change.facts);
        previous.moved.delete(change.path);
        previous.chainFacts.set(change.path, change.facts);
        previous.stale.delete(change.path);
      }
    }
    result.shifted = previous.stale.size > 0;
    previous.result = result;
    previous.byChain = byChain;
    return result;
  }
}

const NO_EDIT: EditRegion = { start: Number.MAX_SAFE_INTEGER, oldEnd: Number.MAX_SAFE_INTEGER, newEnd: Number.MAX_SAFE_INTEGER };

/**
 * The shared inputs are the same, positions in the changed file moved along
 * with its edit. Positions in Rust files whose chain data was older than
 * their text (`older`) are not compared: each edit since was checked to move
 * their facts and change nothing else (`localRustChange`, `sameModuloEdit`),
 * and findings were moved along with each.
 */
function sameShared(before: SharedInput[], after: SharedInput[], change: { path: string; edit: EditRegion } | undefined, older: string[]): boolean {
  if (before.length !== after.length) return false;
  return before.every((a, i) => {
    const b = after[i];
    if (a.file !== b.file || a.what !== b.what) return false;
    if (older.includes(a.file)) return sameModuloEdit(withoutPositions(a.data), withoutPositions(b.data), NO_EDIT);
    return sameModuloEdit(a.data, b.data, change && a.file === change.path ? change.edit : NO_EDIT);
  });
}

function withoutPositions(data: unknown, key = ''): unknown {
  if (typeof data === 'number') return POSITION_KEYS.has(key) ? 0 : data;
  if (typeof data !== 'object' || data === null) return data;
  if (Array.isArray(data)) return data.map((x) => withoutPositions(x));
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, withoutPositions(v, k)]));
}

/** The facts of a Rust file with bindings, moved along with the edits made inside its unread ranges since. */
function factsOf(previous: Snapshot, path: string): RustFacts {
  let facts = previous.facts.get(path)!;
  const moved = previous.moved.get(path);
  if (moved) {
    facts = shiftFacts(facts, moved);
    previous.facts.set(path, facts);
    previous.moved.delete(path);
  }
  return facts;
}

/** Whether a chain reads a Python file as a wrapper, the dispatcher, a test or a build script. */
function readsPython(chain: Chain, path: string): boolean {
  const p = chain.project;
  return p.dispatcher === path || p.wrappers.some((w) => w.path === path) || p.tests.includes(path) || p.buildScripts.includes(path);
}

/**
 * Whether a Python file's edit leaves the layout as it was: the file plays
 * the same role (wrapper, dispatcher, test, build script, none) for every
 * project, and no other file's role depends on what changed.
 */
function sameRoles(index: WorkspaceIndex, previous: Snapshot, path: string, before: string, after: string): boolean {
  const config = previous.config;
  const projects = previous.result.chains.map((c) => c.project);
  // The template variable is the first placeholder of the templates.
  if (isTemplatePath(path) && placeholderNames(before).join() !== placeholderNames(after).join()) return false;
  if (!config.buildScripts && !TEST_FILE.test(path) && locatesWheels(before) !== locatesWheels(after)) return false;
  if (path.endsWith('__init__.py') && !config.dispatcher) {
    for (const p of projects) {
      if (p.wrappers.some((w) => w.path === path)) continue;
      const ext = p.variants.map((l) => l.ext);
      const was = dispatcherScore(before, ext);
      const is = dispatcherScore(after, ext);
      if (p.dispatcher !== path) {
        // Any other candidate must stay out of the running.
        if (was !== undefined || is !== undefined) return false;
      } else if (is === undefined || was === undefined || is < was) {
        // The dispatcher stays the dispatcher when it scores no less, or still more than every other candidate.
        if (is === undefined) return false;
        const crate = p.crateDir ? `${p.crateDir}/` : '';
        const wrappers = new Set(p.wrappers.map((w) => w.path));
        for (const rival of dispatcherCandidates(index, index.paths(), wrappers, ext, crate, path)) if (rival.score >= is) return false;
      }
    }
  }
  if (TEST_FILE.test(path)) {
    for (const p of projects) {
      const packages = testedPackages(p);
      if (p.tests.includes(path) ? !testsPackages(after, packages) : testsPackages(after, packages)) return false;
    }
  }
  return true;
}

/** Whether a finding holds a position in `path`. */
function touches(f: Finding, path: string): boolean {
  return f.file === path || f.related.some((r) => r.file === path) || f.fixes.some((x) => fixTouches(x, path));
}

function fixTouches(fix: FixIntent, path: string): boolean {
  if (fix.kind === 'all') return fix.intents.some((f) => fixTouches(f, path));
  return 'span' in fix && fix.file === path;
}

/** Whether the edit lies inside one of the ranges (sorted, not overlapping). */
function withinOne(ranges: readonly SkipRange[], edit: EditRegion): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [a, b] = ranges[mid];
    if (b < edit.oldEnd) low = mid + 1;
    else if (a > edit.start) high = mid - 1;
    else return true;
  }
  return false;
}

/** The edit lies inside one unread body, and the unread bodies are otherwise the same, moved along. */
export function insideSameBody(before: readonly SkipRange[], after: readonly SkipRange[], edit: EditRegion): boolean {
  if (before.length !== after.length) return false;
  const delta = edit.newEnd - edit.oldEnd;
  let holder = -1;
  for (let i = 0; i < before.length; i++) {
    const [a, b] = before[i];
    const [c, d] = after[i];
    if (a <= edit.start && edit.oldEnd <= b) {
      if (c !== a || d !== b + delta || edit.newEnd > d) return false;
      holder = i;
    } else if (b <= edit.start) {
      if (c !== a || d !== b) return false;
    } else if (a >= edit.oldEnd) {
      if (c !== a + delta || d !== b + delta) return false;
    } else {
      return false;
    }
  }
  return holder >= 0;
}

/** A copy of facts with every position moved along with edits (made one after the other) that lie inside no fact. */
export function shiftFacts<T>(facts: T, edits: readonly EditRegion[], key = ''): T {
  if (typeof facts === 'number') {
    if (!POSITION_KEYS.has(key)) return facts;
    let o: number = facts;
    for (const edit of edits) o = mapPosition(o, edit, key === 'end') ?? o;
    return o as T;
  }
  if (typeof facts !== 'object' || facts === null) return facts;
  if (Array.isArray(facts)) return facts.map((x) => shiftFacts(x, edits)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[k] = shiftFacts(v, edits, k);
  return out as T;
}

function stripSpans<T extends { span: unknown }>(list: T[]): Omit<T, 'span'>[] {
  return list.map(({ span: _span, ...rest }) => rest);
}
