import { CheckResult, runChecks } from './engine';
import type { RustFacts, Span } from './facts/types';
import { scanModDeclarations } from './index/mod-scan';
import type { SourceFile } from './index/source';
import type { WorkspaceIndex } from './index/workspace-index';
import type { Config } from './layout/config';
import { unreadRanges } from './parsing/rust-blank';
import { EditRegion, editRegion } from './parsing/text';

export { editRegion };
export type { EditRegion };
import type { Finding, FixIntent } from './rules/types';

/** A result whose findings were moved along with an edit; its chains describe the text before the edit. */
export interface IncrementalResult extends CheckResult {
  shifted?: boolean;
}

interface Snapshot {
  result: IncrementalResult;
  /** Unread body ranges of the Rust files in `facts`, computed when first needed. */
  bodies: Map<string, [number, number][]>;
  config: Config;
  files: Map<string, SourceFile>;
  /** Facts of the Rust files that hold bindings, as the result saw them. */
  facts: Map<string, RustFacts>;
  /** Every file some chain reads. */
  involved: Set<string>;
}

/** Where an offset of the old text is in the new one (undefined inside the replaced range). */
function mapOffset(o: number, edit: EditRegion): number | undefined {
  if (o <= edit.start) return o;
  if (o >= edit.oldEnd) return o + edit.newEnd - edit.oldEnd;
  return undefined;
}

const POSITION_KEYS = new Set(['start', 'end', 'offset']);

/** Old and new facts are the same once the new ones are read back through the edit. */
export function sameModuloEdit(old: unknown, now: unknown, edit: EditRegion, key = ''): boolean {
  if (typeof old === 'number' && typeof now === 'number' && POSITION_KEYS.has(key)) {
    if (old === edit.start && old === edit.oldEnd) return now === old || now === old + edit.newEnd - edit.oldEnd;
    return mapOffset(old, edit) === now;
  }
  if (old === now) return true;
  if (typeof old !== 'object' || typeof now !== 'object' || old === null || now === null) return false;
  if (Array.isArray(old)) {
    if (!Array.isArray(now) || old.length !== now.length) return false;
    for (let i = 0; i < old.length; i++) if (!sameModuloEdit(old[i], now[i], edit)) return false;
    return true;
  }
  if (old instanceof Map || now instanceof Map) return false;
  const keys = Object.keys(old);
  if (keys.length !== Object.keys(now).length) return false;
  for (const k of keys) if (!sameModuloEdit((old as Record<string, unknown>)[k], (now as Record<string, unknown>)[k], edit, k)) return false;
  return true;
}

function shiftSpan(span: Span, edit: EditRegion): Span {
  return { start: mapOffset(span.start, edit) ?? edit.newEnd, end: mapOffset(span.end, edit) ?? edit.newEnd };
}

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
const PY_ROLE_NAME = /(^|\/)(__init__\.py|test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$/;

/**
 * Re-checks only what a change affects. When the only change since the last
 * result is an edit to one file that leaves everything the checks read the
 * same (typing inside a function body, a comment, a file no chain reads),
 * the previous findings are kept, moved along with the edit. Anything else
 * runs every check again.
 */
export class IncrementalChecker {
  private last?: Snapshot;
  fullChecks = 0;
  shortcuts = 0;

  check(index: WorkspaceIndex, config: Config): IncrementalResult {
    const previous = this.last;
    if (previous && previous.config === config) {
      const kept = this.keep(index, previous);
      if (kept) {
        this.shortcuts++;
        return kept;
      }
    }
    return this.full(index, config);
  }

  /** A result whose chains describe the current text (what fixes need). */
  fresh(index: WorkspaceIndex, config: Config): IncrementalResult {
    const last = this.last?.result;
    if (last && !last.shifted && last.generation === index.generation && this.last!.config === config) return last;
    return this.full(index, config);
  }

  reset(): void {
    this.last = undefined;
  }

  private full(index: WorkspaceIndex, config: Config): IncrementalResult {
    this.fullChecks++;
    const result = runChecks(index, config);
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
    this.last = { result, config, files, facts, involved, bodies: new Map() };
    return result;
  }

  private keep(index: WorkspaceIndex, previous: Snapshot): IncrementalResult | undefined {
    let changed: string | undefined;
    let count = 0;
    for (const file of index.files()) {
      if (previous.files.get(file.path) !== file) {
        changed = file.path;
        if (++count > 1) return undefined;
      }
    }
    if (count === 0) {
      // Nothing changed but the generation (a file set to the same object).
      return previous.files.size === index.files().length ? { ...previous.result, generation: index.generation } : undefined;
    }
    if (previous.files.size !== index.files().length) return undefined;
    const path = changed!;
    const before = previous.files.get(path);
    const after = index.get(path)!;
    if (!before || after.template || before.template) return undefined;
    const edit = editRegion(before.text, after.text);
    let findings = previous.result.findings;
    if (after.language === 'rust') {
      if (RUST_CRATE_ROOT.test(path) && !previous.involved.has(path)) return undefined;
      const held = previous.facts.get(path);
      const holds = index.mayHoldBindings(path);
      if (held) {
        if (!holds) return undefined;
        const oldBodies = previous.bodies.get(path) ?? unreadRanges(before.text);
        const newBodies = unreadRanges(after.text);
        previous.bodies.set(path, newBodies);
        if (insideSameBody(oldBodies, newBodies, edit)) {
          // Only the inside of a body the facts never read changed: the parse
          // would differ by blank space alone, so the facts just move.
          previous.facts.set(path, shiftFacts(held, edit));
        } else {
          const now = index.rust(path)!.facts;
          if (!sameModuloEdit(held, now, edit)) return undefined;
          previous.facts.set(path, now);
        }
        findings = findings.map((f) => shiftFinding(f, path, edit));
      } else {
        if (holds) return undefined;
        if (previous.involved.has(path) && !sameModuloEdit(stripSpans(scanModDeclarations(before.text)), stripSpans(scanModDeclarations(after.text)), edit)) return undefined;
      }
    } else if (after.language === 'python') {
      if (previous.involved.has(path) || PY_ROLE_NAME.test(path)) return undefined;
      const script = (t: string) => /wheels/.test(t) && /["']target["']/.test(t);
      if (script(before.text) || script(after.text)) return undefined;
    } else {
      return undefined;
    }
    previous.files.set(path, after);
    const result: IncrementalResult = { ...previous.result, findings, generation: index.generation, shifted: previous.result.shifted || findings !== previous.result.findings };
    previous.result = result;
    return result;
  }
}

/** The edit lies inside one unread body, and the unread bodies are otherwise the same, moved along. */
export function insideSameBody(before: [number, number][], after: [number, number][], edit: EditRegion): boolean {
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

/** A copy of facts with every position moved along with an edit that lies inside no fact. */
export function shiftFacts<T>(facts: T, edit: EditRegion, key = ''): T {
  if (typeof facts === 'number') return (POSITION_KEYS.has(key) ? mapOffset(facts, edit) ?? facts : facts) as T;
  if (typeof facts !== 'object' || facts === null) return facts;
  if (Array.isArray(facts)) return facts.map((x) => shiftFacts(x, edit)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[k] = shiftFacts(v, edit, k);
  return out as T;
}

function stripSpans<T extends { span: Span }>(list: T[]): Omit<T, 'span'>[] {
  return list.map(({ span: _span, ...rest }) => rest);
}
