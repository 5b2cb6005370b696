import type { HelperCall, ModuleBody, PythonFacts, Registration, RustFacts, Span } from '../facts/types';
import type { WorkspaceIndex } from '../index/workspace-index';
import { cfgActive } from '../layout/crate-tree';
import type { BindingProject, VariantLayout } from '../layout/detect';
import type { EditRegion } from '../parsing/text';
import {
  addSite,
  BindingSymbol,
  BodyRef,
  callResolver,
  Chain,
  constantSymbol,
  declarationsOf,
  declaresConstant,
  exportModule,
  hasSubmodules,
  indexByName,
  RegistrationSite,
  registeredItem,
  registeredName,
  testReferencesOf,
  VariantChain,
  variantModule,
  walkBodies,
  WrapperChain,
  wrapperChain,
} from './build';
import { OverlayMap } from './overlay';
import type { Declared, Located, RustResolver } from './resolve';

/**
 * Chains brought up to date after one file changed, rebuilding only what
 * came from that file, with the Python names whose findings may differ.
 *
 * A finding that names a symbol depends on that name's part of the chain
 * (its declarations, registrations, wrapper imports and `__all__` entries,
 * re-exports, test references) and on what every name shares (the modules,
 * the wrappers' and the dispatcher's shape, the test home: the caller checks
 * those did not change, see `rules/shared.ts`). An update gives up
 * (undefined: check everything) when the change is not one it can follow,
 * and otherwise names every Python name whose part changed. The chain it returns is the
 * one `buildChain` would build, but for the order of names in the
 * registration maps and of constants among the symbols, which no finding
 * depends on (findings are sorted, and ties only ever hold within a name).
 */
export interface ChainUpdate {
  chain: Chain;
  /** Python names whose findings may have changed. */
  affected: Set<string>;
}

// ---------------------------------------------------------------- positions

/** Where a position of the old text is in the new one (undefined inside the replaced text). A start at a pure insertion moves with the text after it; an end stays. */
export function mapPosition(o: number, edit: EditRegion, end = false): number | undefined {
  if (end ? o <= edit.start : o < edit.start) return o;
  if (o >= edit.oldEnd) return o + edit.newEnd - edit.oldEnd;
  return undefined;
}

const START_KEYS = new Set(['start', 'offset']);

/** Old and new facts are the same once the old positions are moved along with the edit. */
export function sameModuloEdit(old: unknown, now: unknown, edit: EditRegion, key = ''): boolean {
  if (typeof old === 'number' && typeof now === 'number' && (key === 'end' || START_KEYS.has(key))) return mapPosition(old, edit, key === 'end') === now;
  if (old === now) return true;
  if (typeof old !== 'object' || typeof now !== 'object' || old === null || now === null) return false;
  if (Array.isArray(old)) {
    if (!Array.isArray(now) || old.length !== now.length) return false;
    for (let i = 0; i < old.length; i++) if (!sameModuloEdit(old[i], now[i], edit)) return false;
    return true;
  }
  if (old instanceof Map || now instanceof Map || old instanceof Set || now instanceof Set) return false;
  const keys = Object.keys(old);
  if (keys.length !== Object.keys(now).length) return false;
  for (const k of keys) {
    if (!(k in (now as object))) return false;
    if (!sameModuloEdit((old as Record<string, unknown>)[k], (now as Record<string, unknown>)[k], edit, k)) return false;
  }
  return true;
}

/** A span moved along with an edit (a span the edit replaced ends up at the end of the new text). */
export function shiftSpan(span: Span, edit: EditRegion): Span {
  return { start: mapPosition(span.start, edit) ?? edit.newEnd, end: mapPosition(span.end, edit, true) ?? edit.newEnd };
}

/**
 * The elements of two lists in text order that differ once the old ones are
 * moved along with the edit: the same elements on both sides are matched
 * from the front and from the back, what is left in between changed.
 */
export function changedMiddle<T>(old: readonly T[], now: readonly T[], edit: EditRegion): { old: T[]; now: T[] } {
  let head = 0;
  const max = Math.min(old.length, now.length);
  while (head < max && sameModuloEdit(old[head], now[head], edit)) head++;
  let tail = 0;
  while (tail < max - head && sameModuloEdit(old[old.length - 1 - tail], now[now.length - 1 - tail], edit)) tail++;
  return { old: old.slice(head, old.length - tail), now: now.slice(head, now.length - tail) };
}

// ---------------------------------------------------------------- Rust

const NO_EDIT: EditRegion = { start: Number.MAX_SAFE_INTEGER, oldEnd: Number.MAX_SAFE_INTEGER, newEnd: Number.MAX_SAFE_INTEGER };

/**
 * Whether a Rust file's new facts change nothing but what `updateRustFile`
 * handles: declarations keep their paths (new Python names, kinds, cfgs are
 * fine), `mod`s, `use`s and the #[pymodule]s themselves stay (their bodies
 * may change: registrations, helper calls).
 */
export function localRustChange(old: RustFacts, now: RustFacts, edit: EditRegion): boolean {
  const samePaths = (a: { scope: string[]; rustName: string }[], b: { scope: string[]; rustName: string }[]) =>
    a.length === b.length && a.every((x, i) => x.rustName === b[i].rustName && x.scope.length === b[i].scope.length && x.scope.every((s, j) => s === b[i].scope[j]));
  if (!samePaths(old.items, now.items) || !samePaths(old.helpers, now.helpers)) return false;
  if (!sameModuloEdit(old.mods, now.mods, edit) || !sameModuloEdit(old.uses, now.uses, edit)) return false;
  if (old.modules.length !== now.modules.length) return false;
  return old.modules.every((m, i) => {
    const n = now.modules[i];
    return m.rustName === n.rustName && m.pythonName === n.pythonName && m.style === n.style && !!m.body === !!n.body &&
      sameModuloEdit(m.scope, n.scope, edit) && sameModuloEdit(m.cfg, n.cfg, edit) && sameModuloEdit(m.nameSpan, n.nameSpan, edit) && sameModuloEdit(m.span, n.span, edit);
  });
}

/**
 * The chain with a Rust file's declarations and module bodies read again
 * from `now`. `before` must be the facts the chain was built from, and the
 * change from them to `now` local (`localRustChange`); the file must be one
 * of the project's binding files.
 */
export function updateRustFile(chain: Chain, file: string, before: RustFacts, now: RustFacts): ChainUpdate | undefined {
  const project0 = chain.project;
  if (!project0.files.has(file) || !project0.bindingFiles.includes(file)) return undefined;
  // Submodules register what a change may move between modules: the whole chain is built again.
  const makesModules = (f: RustFacts) => f.modules.some((m) => m.body?.submodules) || f.helpers.some((h) => h.body.submodules);
  if (project0.otherModules.length || hasSubmodules(chain) || makesModules(before) || makesModules(now)) return undefined;

  // The layout, with the file's #[pymodule]s as they are now.
  const layouts = new Map<VariantLayout, VariantLayout>();
  for (const layout of project0.variants) {
    if (layout.module?.file !== file) continue;
    const i = before.modules.indexOf(layout.module.decl);
    if (i < 0) return undefined;
    layouts.set(layout, { ...layout, module: { file, decl: now.modules[i] } });
  }
  const project: BindingProject = layouts.size
    ? { ...project0, variants: project0.variants.map((l) => layouts.get(l) ?? l), wrappers: project0.wrappers.map((w) => ({ path: w.path, variants: w.variants.map((l) => layouts.get(l) ?? l) })) }
    : project0;

  // Declarations: the same paths, so only the file's own entries change.
  const declared: BindingSymbol[] = [];
  const resolver = chain.resolver.withFileReplaced(file, declarationsOf(project, file, now, declared));
  const oldResolver = chain.resolver;

  // The bodies each variant reaches now; the file's are new objects.
  const fresh = new Map<ModuleBody, ModuleBody>();
  before.modules.forEach((m, i) => m.body && fresh.set(m.body, now.modules[i].body!));
  before.helpers.forEach((h, i) => fresh.set(h.body, now.helpers[i].body));
  // Helper calls resolve as before, but those naming one of the file's helpers (now other objects). The
  // file's own calls are new objects: those that stayed the same (matched from both ends) take the old one's.
  const same = new Map<HelperCall, HelperCall>();
  const sameCall = (a: HelperCall, b: HelperCall) => a.target.length === b.target.length && a.target.every((x, i) => x === b.target[i]) && sameModuloEdit(a.cfg, b.cfg, NO_EDIT);
  const match = (old: HelperCall[], now: HelperCall[]) => {
    const max = Math.min(old.length, now.length);
    let head = 0;
    for (; head < max && sameCall(old[head], now[head]); head++) same.set(now[head], old[head]);
    for (let tail = 0; tail < max - head && sameCall(old[old.length - 1 - tail], now[now.length - 1 - tail]); tail++) same.set(now[now.length - 1 - tail], old[old.length - 1 - tail]);
  };
  before.modules.forEach((m, i) => m.body && match(m.body.helperCalls, now.modules[i].body!.helperCalls));
  before.helpers.forEach((h, i) => match(h.body.helperCalls, now.helpers[i].body.helperCalls));
  const calls = new Map<HelperCall, Located<Declared> | null>();
  const resolveCall = callResolver(resolver, calls, (call) => {
    const target = chain.calls.get(same.get(call) ?? call);
    return target?.file === file ? undefined : target;
  });
  // Each variant has BodyRefs of its own (sites point at their variant's).
  const walks = project.variants.map((layout, k) => walkBodies(project, resolveCall, layout, new Map(chain.variants[k].bodies.filter((b) => b.file !== file).map((b) => [b.body, b]))));
  const added: Set<ModuleBody>[] = [];
  const removed: Set<ModuleBody>[] = [];
  for (let k = 0; k < walks.length; k++) {
    const was = chain.variants[k].bodies.map((b) => (b.file === file ? fresh.get(b.body)! : b.body));
    const is = walks[k].map((b) => b.body);
    const wasSet = new Set(was);
    const isSet = new Set(is);
    const keptBefore = was.filter((b) => isSet.has(b));
    const keptNow = is.filter((b) => wasSet.has(b));
    // Bodies reached in another order: registrations would come in another order.
    if (keptBefore.some((b, i) => keptNow[i] !== b)) return undefined;
    added.push(new Set(is.filter((b) => !wasSet.has(b))));
    removed.push(new Set(chain.variants[k].bodies.filter((b) => b.file !== file && !isSet.has(b.body)).map((b) => b.body)));
  }

  // Every Python name the file declares or registers, before and after, and
  // every name registered by a body a variant reaches or leaves.
  const affected = new Set<string>();
  for (const item of before.items) affected.add(item.pythonName);
  for (const item of now.items) affected.add(item.pythonName);
  const namesOf = (r: RustResolver, body: BodyRef, features: ReadonlySet<string>) => {
    for (const reg of body.body.registrations) if (cfgActive(reg.cfg, features)) affected.add(registeredName(reg, registeredItem(r, reg, body.module)));
  };
  const exportNames = (r: RustResolver, v: VariantChain['module'], features: ReadonlySet<string>) => {
    if (v?.file !== file) return;
    for (const reg of v.decl.exports) if (cfgActive(reg.cfg, features)) affected.add(registeredName(reg, registeredItem(r, reg, exportModule(v))));
  };
  const modules = project.variants.map((l) => variantModule(project, l));
  chain.variants.forEach((v, k) => {
    const features = v.layout.variant.features;
    for (const b of v.bodies) if (b.file === file || removed[k].has(b.body)) namesOf(oldResolver, b, features);
    for (const b of walks[k]) if (b.file === file || added[k].has(b.body)) namesOf(resolver, b, features);
    exportNames(oldResolver, v.module, features);
    exportNames(resolver, modules[k], features);
    // Registered under another name than the symbol's own: `m.add("X", py.get_type::<T>())` with T declared here.
    for (const site of v.renamed) if (site.symbol?.file === file) affected.add(site.pythonName);
  });
  closeOverAliases(affected, chain.variants);

  // The symbols: the file's declarations in its place, constants of the affected names made again.
  const order = new Map(project.bindingFiles.map((f, i) => [f, i]));
  const at = order.get(file)!;
  const constants = new Map<string, BindingSymbol>();
  const newConstants: BindingSymbol[] = [];
  const constantFor = (reg: Registration, regFile: string, module: string[]) => {
    let c = constants.get(reg.pythonName!);
    if (!c) {
      c = constantSymbol(reg, regFile, module);
      // The same constant as before (declared by the same registration, in the same place) stays the same object.
      const was = chain.byPythonName.get(c.pythonName)?.find((s) => !s.item);
      if (was && was.file === c.file && sameModuloEdit(was.nameSpan, c.nameSpan, NO_EDIT) && sameModuloEdit(was.module, c.module, NO_EDIT)) c = was;
      else newConstants.push(c);
      constants.set(reg.pythonName!, c);
    }
    return c;
  };

  // Registrations of the affected names, in walk order.
  const variants: VariantChain[] = project.variants.map((layout, k) => {
    const old = chain.variants[k];
    const features = layout.variant.features;
    const bodies = walks[k];
    const position = new Map(bodies.map((b, i) => [b.body, i]));
    const rescan = new Set<number>();
    for (const name of affected) {
      for (const site of old.registered.get(name) ?? []) {
        if (!site.body || site.body.file === file) continue;
        const i = position.get(site.body.body);
        if (i !== undefined) rescan.add(i);
      }
    }
    bodies.forEach((b, i) => (b.file === file || added[k].has(b.body)) && rescan.add(i));
    const sites = new Map<string, RegistrationSite[]>();
    const renamed = old.renamed.filter((s) => !affected.has(s.pythonName));
    const visit = (reg: Registration, regFile: string, module: string[], body?: BodyRef) => {
      if (!cfgActive(reg.cfg, features)) return;
      const item = registeredItem(resolver, reg, module);
      const pythonName = registeredName(reg, item);
      if (!affected.has(pythonName)) return;
      const site: RegistrationSite = { symbol: declaresConstant(reg, item) ? constantFor(reg, regFile, module) : item, pythonName, file: regFile, registration: reg, body };
      addSite(sites, renamed, site);
    };
    for (const i of [...rescan].sort((a, b) => a - b)) for (const reg of bodies[i].body.registrations) visit(reg, bodies[i].file, bodies[i].module, bodies[i]);
    const module = modules[k];
    if (module) for (const reg of module.decl.exports) visit(reg, module.file, exportModule(module));
    const registered = OverlayMap.of(old.registered, new Map([...affected].map((name) => [name, sites.get(name)])));
    return { layout, name: old.name, module, registered, bodies, wrappers: old.wrappers, renamed, inSubmodule: old.inSubmodule };
  });

  // Item symbols come grouped by file in the project's order, then the constants.
  const old = chain.symbols;
  let constantsAt = old.length;
  while (constantsAt > 0 && !old[constantsAt - 1].item) constantsAt--;
  let start = 0;
  for (let group: string | undefined; start < constantsAt; start++) {
    const f = old[start].file;
    if (f === file) break;
    if (f !== group) {
      group = f;
      if (order.get(f)! > at) break;
    }
  }
  let end = start;
  while (end < constantsAt && old[end].file === file) end++;
  const kept = old.slice(constantsAt).filter((s) => !affected.has(s.pythonName) || constants.get(s.pythonName) === s);
  const symbols = start === end && !declared.length && !newConstants.length && kept.length === old.length - constantsAt
    ? old
    : [...old.slice(0, start), ...declared, ...old.slice(end, constantsAt), ...kept, ...newConstants];

  const names = new Map<string, BindingSymbol[] | undefined>();
  const mine = new Map<string, BindingSymbol[]>();
  for (const s of declared) indexByName(mine, s);
  for (const name of affected) {
    const others = (chain.byPythonName.get(name) ?? []).filter((s) => s.item && s.file !== file);
    const own = mine.get(name) ?? [];
    const split = others.findIndex((s) => order.get(s.file)! > at);
    const list = split < 0 ? [...others, ...own] : [...others.slice(0, split), ...own, ...others.slice(split)];
    const constant = constants.get(name);
    if (constant) list.push(constant);
    names.set(name, list.length ? list : undefined);
  }
  const byPythonName = OverlayMap.of(chain.byPythonName, names);

  return { chain: { ...chain, project, resolver, calls, symbols, byPythonName, variants }, affected };
}

/** Adds the names a wrapper exports an affected name as, and the names it imports under an affected name. */
function closeOverAliases(affected: Set<string>, variants: readonly VariantChain[]): void {
  const todo = [...affected];
  while (todo.length) {
    const name = todo.pop()!;
    for (const v of variants) {
      for (const w of v.wrappers) {
        const alias = w.imported.get(name)?.name.alias;
        const related = alias === undefined ? w.aliases.get(name) ?? [] : [alias, ...(w.aliases.get(name) ?? [])];
        for (const r of related) {
          if (affected.has(r)) continue;
          affected.add(r);
          todo.push(r);
        }
      }
    }
  }
}

// ---------------------------------------------------------------- Python

/** The names bound by a Python module, as lists in text order: definitions, imports, module imports. */
function boundLists(f: PythonFacts): { definitions: string[]; imports: { name: string; span: Span }[]; modules: { alias: string; span: Span }[] } {
  return {
    definitions: f.definedNames,
    imports: f.imports.flatMap((i) => i.names.map((n) => ({ name: n.alias ?? n.name, span: n.span }))),
    modules: f.moduleImports.map((m) => ({ alias: m.alias, span: m.span })),
  };
}

function addBoundChanges(affected: Set<string>, old: PythonFacts, now: PythonFacts, edit: EditRegion): void {
  const a = boundLists(old);
  const b = boundLists(now);
  const defs = changedMiddle(a.definitions, b.definitions, edit);
  for (const n of [...defs.old, ...defs.now]) affected.add(n);
  const imports = changedMiddle(a.imports, b.imports, edit);
  for (const n of [...imports.old, ...imports.now]) affected.add(n.name);
  const modules = changedMiddle(a.modules, b.modules, edit);
  for (const n of [...modules.old, ...modules.now]) affected.add(n.alias);
}

function addDunderAllChanges(affected: Set<string>, old: PythonFacts, now: PythonFacts, edit: EditRegion): void {
  const entries = (f: PythonFacts) => {
    const all = f.dunderAll;
    if (!all) return [];
    const literal = new Set(all.literalEntries.map((e) => e.span.start));
    return all.entries.map((e) => ({ value: e.value, span: e.span, literal: literal.has(e.span.start) }));
  };
  const changed = changedMiddle(entries(old), entries(now), edit);
  for (const e of [...changed.old, ...changed.now]) affected.add(e.value);
}

/**
 * The chain with a Python file read again: a wrapper, the dispatcher, a test
 * or a build script (the roles must be the same as before: the layout is not
 * detected again). What every name shares (`sharedInputs`) is the caller's
 * to compare.
 */
export function updatePythonFile(chain: Chain, index: WorkspaceIndex, file: string, edit: EditRegion): ChainUpdate | undefined {
  const affected = new Set<string>();
  let variants = chain.variants;
  if (chain.project.wrappers.some((w) => w.path === file)) {
    const next: VariantChain[] = [];
    for (const v of chain.variants) {
      const i = v.wrappers.findIndex((w) => w.path === file);
      if (i < 0) {
        next.push(v);
        continue;
      }
      const old = v.wrappers[i];
      const view = index.python(file, v.layout.variant.vars);
      if (!view) return undefined;
      const w = wrapperChain(file, view, v.layout.ext);
      const flat = (x: WrapperChain) => x.extImports.flatMap((s) => s.names.map((n) => ({ name: n.name, alias: n.alias, span: n.span })));
      const imports = changedMiddle(flat(old), flat(w), edit);
      for (const n of [...imports.old, ...imports.now]) {
        affected.add(n.name);
        if (n.alias !== undefined) affected.add(n.alias);
      }
      addBoundChanges(affected, old.view.facts, w.view.facts, edit);
      addDunderAllChanges(affected, old.view.facts, w.view.facts, edit);
      next.push({ ...v, wrappers: v.wrappers.map((x, j) => (j === i ? w : x)) });
    }
    variants = next;
  }

  let dispatcher = chain.dispatcher;
  if (chain.project.dispatcher === file) {
    const view = index.python(file);
    if (!view || !chain.dispatcher) return undefined;
    const old = chain.dispatcher.facts;
    const changed = changedMiddle(old.reexports, view.facts.reexports, edit);
    for (const r of [...changed.old, ...changed.now]) affected.add(r.name);
    addBoundChanges(affected, old, view.facts, edit);
    addDunderAllChanges(affected, old, view.facts, edit);
    dispatcher = { ...view, path: file };
  }

  let tests = chain.tests;
  let testReferences = chain.testReferences;
  const t = chain.tests.findIndex((x) => x.path === file);
  if (t >= 0) {
    const view = index.python(file);
    if (!view) return undefined;
    const changed = changedMiddle(chain.tests[t].facts.references, view.facts.references, edit);
    for (const r of [...changed.old, ...changed.now]) affected.add(r.name);
    tests = chain.tests.map((x, j) => (j === t ? { ...view, path: file } : x));
    testReferences = testReferencesOf(tests, chain.publicModules);
  }

  let scripts = chain.scripts;
  if (scripts.has(file)) {
    const view = index.python(file);
    if (!view) return undefined;
    scripts = new Map([...scripts].map(([p, v]) => [p, p === file ? view : v]));
  }

  const next: Chain = { ...chain, variants, dispatcher, tests, testReferences, scripts };
  closeOverAliases(affected, chain.variants);
  closeOverAliases(affected, variants);
  return { chain: next, affected };
}
