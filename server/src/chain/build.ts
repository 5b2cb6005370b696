import type { CfgExpr, HelperCall, ImportedName, ImportFrom, InlineSubmodule, ModuleBody, PyModuleDecl, PythonFacts, Registration, RegistrationHelper, RustFacts, RustItem, Span, SymbolKind } from '../facts/types';
import type { FactsView, WorkspaceIndex } from '../index/workspace-index';
import { cfgActive } from '../layout/crate-tree';
import type { BindingProject, VariantLayout } from '../layout/detect';
import { Declared, isHelper, Located, moduleKey, RustResolver } from './resolve';
import { addedSubmodule, ModuleRef, nestedRegistration, submoduleSymbols, Submodules } from './submodules';

/** A Python-visible symbol declared in Rust (or a constant declared by its registration). */
export interface BindingSymbol {
  /** Stable id: the crate-absolute Rust path (`context::PyContext`), or `const:NAME`. */
  id: string;
  kind: SymbolKind;
  pythonName: string;
  rustName: string;
  /** Crate-absolute module path of the declaration. */
  module: string[];
  file: string;
  nameSpan: Span;
  span: Span;
  /** The item's cfgs plus those of the `mod` declarations leading to its file. */
  cfg: CfgExpr[];
  internal: boolean;
  item?: RustItem;
}

/** Where a module body lives: a #[pymodule] fn, a #[pymodule_init] fn, or a helper it calls. */
export interface BodyRef {
  file: string;
  module: string[];
  body: ModuleBody;
  /** Helper function name, when the body is a helper's. */
  helper?: string;
  /** The cfgs under which the body's code is compiled (file, and the fn or module's own). */
  cfg: CfgExpr[];
}

export interface RegistrationSite {
  symbol: BindingSymbol | null;
  pythonName: string;
  file: string;
  registration: Registration;
  /** The body holding the registration (absent for declarative exports). */
  body?: BodyRef;
}

export interface WrapperChain {
  path: string;
  view: FactsView<PythonFacts>;
  /** `from .<ext> import ...` statements active for this variant. */
  extImports: ImportFrom[];
  /** Names imported from the extension module, by their name in the extension module. */
  imported: Map<string, { statement: ImportFrom; name: ImportedName }>;
  star: boolean;
  /** Every name the wrapper module binds (imports of any kind and definitions). */
  defined: Set<string>;
  /** Names imported from the extension module under another name, by that name (`import A as B`: B -> [A]). */
  aliases: Map<string, string[]>;
}

export interface VariantChain {
  layout: VariantLayout;
  name: string | null;
  module?: { file: string; decl: PyModuleDecl; rustModule: string[] };
  /** Registered Python names. */
  registered: ReadonlyMap<string, RegistrationSite[]>;
  /** Bodies reached from the module (its own and the helpers it calls), in call order. */
  bodies: BodyRef[];
  wrappers: WrapperChain[];
  /** Sites registered under a Python name that is not their symbol's (`m.add("X", py.get_type::<T>())`). */
  renamed: RegistrationSite[];
  /** Symbols registered by the module's submodules (`chain/submodules.ts`), not by the module itself. */
  inSubmodule: ReadonlySet<BindingSymbol>;
}

/** The `inSubmodule` of a variant whose module registers no submodule. */
const NO_SYMBOLS: ReadonlySet<BindingSymbol> = new Set();

/** Whether a variant's module registers submodules (`chain/submodules.ts`): Rust edits then check the chain in full. */
export function hasSubmodules(chain: { variants: readonly VariantChain[] }): boolean {
  return chain.variants.some((v) => v.inSubmodule !== NO_SYMBOLS);
}

export interface Chain {
  project: BindingProject;
  resolver: RustResolver;
  /** What the helper calls of the reached bodies name (resolved once; updates keep those that did not change). */
  calls: ReadonlyMap<HelperCall, Located<Declared> | null>;
  symbols: BindingSymbol[];
  /** The symbols of each Python name, in `symbols` order. */
  byPythonName: ReadonlyMap<string, BindingSymbol[]>;
  variants: VariantChain[];
  dispatcher?: FactsView<PythonFacts> & { path: string };
  tests: (FactsView<PythonFacts> & { path: string })[];
  /** Build scripts that locate wheels. */
  scripts: Map<string, FactsView<PythonFacts>>;
  /** Names referenced by collected tests on the public modules. */
  testReferences: Set<string>;
  /** Modules whose attributes count as the public API in tests: the package and the wrapper packages. */
  publicModules: Set<string>;
  /** Whether a symbol is opted out (comment or config). */
  isInternal(symbol: BindingSymbol): boolean;
}

/** The symbol of a Python-visible item declared in `file`. */
export function itemSymbol(project: BindingProject, file: string, item: RustItem): BindingSymbol {
  const { modPath: base, cfg: fileCfg } = project.files.get(file)!;
  const module = item.scope.length ? [...base, ...item.scope] : base;
  return {
    id: module.length ? `${moduleKey(module)}::${item.rustName}` : item.rustName,
    kind: item.kind,
    pythonName: item.pythonName,
    rustName: item.rustName,
    module,
    file,
    nameSpan: item.nameSpan,
    span: item.span,
    cfg: fileCfg.length ? [...fileCfg, ...item.cfg] : item.cfg,
    internal: item.internal,
    item,
  };
}

/** What the resolver learns from one file: its items (with their symbols) and helpers, in this order. */
export function declarationsOf(project: BindingProject, file: string, facts: RustFacts, symbols: BindingSymbol[]): Located<Declared>[] {
  const base = project.files.get(file)!.modPath;
  const out: Located<Declared>[] = [];
  for (const item of facts.items) {
    const symbol = itemSymbol(project, file, item);
    symbols.push(symbol);
    out.push({ file, module: symbol.module, item, symbol });
  }
  for (const helper of facts.helpers) out.push({ file, module: [...base, ...helper.scope], item: helper });
  return out;
}

/** The item symbol a registration names, or null (a constant, a helper, nothing declared). */
export function registeredItem(resolver: RustResolver, reg: Registration, module: string[]): BindingSymbol | null {
  if (!reg.target) return null;
  let located = resolver.resolve(reg.target, module);
  if (!located) {
    const fallback = resolver.uniqueByName(reg.target[reg.target.length - 1]);
    if (fallback && !isHelper(fallback.item)) located = fallback;
  }
  return located && !isHelper(located.item) ? located.symbol ?? null : null;
}

/**
 * The item symbol a submodule's registration names (`registeredItem`), or
 * for an export naming no path, the item of that name declared in the
 * declarative module itself (`#[pymodule_export] const X`).
 */
function submoduleItem(resolver: RustResolver, reg: Registration, module: string[]): BindingSymbol | null {
  const item = registeredItem(resolver, reg, module);
  if (item || reg.form !== 'export' || reg.target || !reg.pythonName) return item;
  const declared = resolver.itemAt([...module, reg.pythonName]);
  return declared && !isHelper(declared.item) ? declared.symbol ?? null : null;
}

/** Whether a registration declares a constant: `m.add("NAME", v)` or an export with a name, naming no item. */
export function declaresConstant(reg: Registration, item: BindingSymbol | null): boolean {
  return !item && !!reg.pythonName && (reg.form === 'add' || reg.form === 'export');
}

/** The Python name a registration gives (`item` from `registeredItem`). */
export function registeredName(reg: Registration, item: BindingSymbol | null): string {
  return reg.form === 'add' || (reg.form === 'export' && reg.pythonName) ? reg.pythonName! : item?.pythonName ?? reg.target?.[reg.target.length - 1] ?? '?';
}

export function constantSymbol(reg: Registration, file: string, module: string[]): BindingSymbol {
  return {
    id: `const:${reg.pythonName}`,
    kind: 'constant',
    pythonName: reg.pythonName!,
    rustName: reg.pythonName!,
    module,
    file,
    nameSpan: reg.span,
    span: reg.span,
    cfg: [],
    internal: false,
  };
}

/** The module a declarative #[pymodule]'s exports are written in. */
export function exportModule(module: NonNullable<VariantChain['module']>): string[] {
  return [...module.rustModule, module.decl.rustName];
}

/**
 * The bodies a variant's #[pymodule] reaches: its own, then each helper it
 * calls (depth first, each body once). `reuse` hands back the BodyRef of a
 * body that did not change.
 */
export function walkBodies(project: BindingProject, resolveCall: (call: HelperCall, module: string[]) => Located<Declared> | null, layout: VariantLayout, reuse?: Map<ModuleBody, BodyRef>): BodyRef[] {
  const bodies: BodyRef[] = [];
  if (!layout.module) return bodies;
  const features = layout.variant.features;
  const seen = new Set<ModuleBody>();
  const walk = (body: BodyRef) => {
    if (seen.has(body.body)) return;
    seen.add(body.body);
    bodies.push(body);
    for (const call of body.body.helperCalls) {
      if (!cfgActive(call.cfg, features)) continue;
      const target = resolveCall(call, body.module);
      if (target && isHelper(target.item) && cfgActive(target.item.cfg, features)) {
        const helper: RegistrationHelper = target.item;
        walk(reuse?.get(helper.body) ?? { file: target.file, module: target.module, body: helper.body, helper: helper.rustName, cfg: [...project.files.get(target.file)!.cfg, ...helper.cfg] });
      }
    }
  };
  const { file, decl } = layout.module;
  const rustModule = [...project.files.get(file)!.modPath, ...decl.scope];
  if (decl.body) walk(reuse?.get(decl.body) ?? { file, module: decl.style === 'declarative' ? [...rustModule, decl.rustName] : rustModule, body: decl.body, cfg: [...project.files.get(file)!.cfg, ...decl.cfg] });
  return bodies;
}

/**
 * Resolves helper calls, recording each in `cache`; `known` (earlier
 * resolutions still true) is asked first.
 */
export function callResolver(resolver: RustResolver, cache: Map<HelperCall, Located<Declared> | null>, known?: (call: HelperCall) => Located<Declared> | null | undefined): (call: HelperCall, module: string[]) => Located<Declared> | null {
  return (call, module) => {
    let target = cache.get(call);
    if (target === undefined) {
      target = known?.(call);
      if (target === undefined) target = resolver.resolve(call.target, module) ?? null;
      cache.set(call, target);
    }
    return target;
  };
}

/** The #[pymodule] of a variant, with its crate-absolute module path. */
export function variantModule(project: BindingProject, layout: VariantLayout): VariantChain['module'] {
  if (!layout.module) return undefined;
  const { file, decl } = layout.module;
  return { file, decl, rustModule: [...project.files.get(file)!.modPath, ...decl.scope] };
}

/** Adds a site to a variant's registrations. */
export function addSite(registered: Map<string, RegistrationSite[]>, renamed: RegistrationSite[], site: RegistrationSite): void {
  const list = registered.get(site.pythonName);
  if (list) list.push(site);
  else registered.set(site.pythonName, [site]);
  if (site.symbol && site.symbol.pythonName !== site.pythonName) renamed.push(site);
}

/** Adds a symbol to the index by Python name (symbols must come in `symbols` order). */
export function indexByName(byName: Map<string, BindingSymbol[]>, symbol: BindingSymbol): void {
  const list = byName.get(symbol.pythonName);
  if (list) list.push(symbol);
  else byName.set(symbol.pythonName, [symbol]);
}

/**
 * The part of a chain that only the Rust files give: the symbols, how paths
 * resolve, and what each variant's #[pymodule] registers (`buildChain` adds
 * the Python files). Its variants' `wrappers` are still empty.
 */
export interface RustChain {
  project: BindingProject;
  resolver: RustResolver;
  calls: Map<HelperCall, Located<Declared> | null>;
  symbols: BindingSymbol[];
  variants: VariantChain[];
}

/** The Rust part of a project's chain (see `RustChain`). */
export function buildRustChain(index: WorkspaceIndex, project: BindingProject): RustChain {
  const resolver = new RustResolver();
  const symbols: BindingSymbol[] = [];

  for (const file of project.bindingFiles) {
    const facts = index.rust(file)!.facts;
    const base = project.files.get(file)!.modPath;
    resolver.addModule(base);
    for (const mod of facts.mods) resolver.addModule([...base, ...mod.scope, mod.name]);
    for (const use of facts.uses) resolver.addUse([...base, ...use.scope], use);
    for (const located of declarationsOf(project, file, facts, symbols)) resolver.addItem(located);
  }

  const subs = new Submodules(project);
  const constants = new Map<string, BindingSymbol>();
  // A registration resolves the same way in every variant that reaches it.
  const resolved = new Map<Registration, { symbol: BindingSymbol | null; pythonName: string }>();
  const siteFor = (reg: Registration, file: string, module: string[], body?: BodyRef): RegistrationSite => {
    let r = resolved.get(reg);
    if (!r) {
      const item = registeredItem(resolver, reg, module);
      let symbol = item;
      if (declaresConstant(reg, item)) {
        symbol = constants.get(reg.pythonName!) ?? null;
        if (!symbol) {
          symbol = constantSymbol(reg, file, module);
          constants.set(reg.pythonName!, symbol);
          symbols.push(symbol);
        }
      }
      // A submodule registered by name (`wrap_pymodule!(x)`, `#[pymodule_export] use x`) goes by its Python name.
      const submodule = item ? undefined : subs.resolve(resolver, reg.target, module);
      r = { symbol, pythonName: submodule?.decl.pythonName ?? registeredName(reg, item) };
      resolved.set(reg, r);
    }
    return { symbol: r.symbol, pythonName: r.pythonName, file, registration: reg, body };
  };

  const calls = new Map<HelperCall, Located<Declared> | null>();
  const variants: VariantChain[] = project.variants.map((layout) => {
    const registered = new Map<string, RegistrationSite[]>();
    const renamed: RegistrationSite[] = [];
    const features = layout.variant.features;
    const resolveCall = callResolver(resolver, calls);
    const bodies = walkBodies(project, resolveCall, layout);
    for (const body of bodies) {
      for (const reg of body.body.registrations) if (cfgActive(reg.cfg, features)) addSite(registered, renamed, siteFor(reg, body.file, body.module, body));
    }
    const module = variantModule(project, layout);
    if (module) for (const reg of module.decl.exports) if (cfgActive(reg.cfg, features)) addSite(registered, renamed, siteFor(reg, module.file, exportModule(module)));
    const inSubmodule = module ? addSubmodules(subs, resolver, resolveCall, module, bodies, registered, renamed, features) : NO_SYMBOLS;
    return { layout, name: layout.variant.name, module, registered, bodies, wrappers: [], renamed, inSubmodule };
  });
  return { project, resolver, calls, symbols, variants };
}

/**
 * A variant's submodules (`chain/submodules.ts`): registers each in
 * `registered` under its Python name (the modules its bodies make and add,
 * the declarative ones nested in it; those its registrations name are there
 * already), and returns the symbols they register, `NO_SYMBOLS` when it has none.
 */
function addSubmodules(
  subs: Submodules,
  resolver: RustResolver,
  resolveCall: (call: HelperCall, module: string[]) => Located<Declared> | null,
  module: NonNullable<VariantChain['module']>,
  bodies: readonly BodyRef[],
  registered: Map<string, RegistrationSite[]>,
  renamed: RegistrationSite[],
  features: ReadonlySet<string>,
): ReadonlySet<BindingSymbol> {
  const made: { sub: InlineSubmodule; module: string[] }[] = [];
  for (const body of bodies) {
    for (const sub of body.body.submodules ?? []) {
      if (!addedSubmodule(sub, features)) continue;
      made.push({ sub, module: body.module });
      addSite(registered, renamed, { symbol: null, pythonName: sub.pythonName, file: body.file, registration: { form: 'add', pythonName: sub.pythonName, span: sub.added!.span, cfg: sub.added!.cfg }, body });
    }
  }
  if (!subs.size && !made.length) return NO_SYMBOLS;
  const direct: ModuleRef[] = [];
  if (module.decl.style === 'declarative') {
    for (const child of subs.nestedIn(exportModule(module))) {
      if (!subs.active(child, features)) continue;
      direct.push(child);
      addSite(registered, renamed, { symbol: null, pythonName: child.decl.pythonName, file: child.file, registration: nestedRegistration(child) });
    }
  }
  for (const sites of registered.values()) {
    for (const site of sites) {
      const child = site.symbol ? undefined : subs.resolve(resolver, site.registration.target, site.body?.module ?? exportModule(module));
      if (child) direct.push(child);
    }
  }
  if (!direct.length && !made.length) return NO_SYMBOLS;
  const helper = (call: HelperCall, at: string[]) => {
    const target = resolveCall(call, at);
    return target && isHelper(target.item) && cfgActive(target.item.cfg, features) ? { body: target.item.body, module: target.module } : undefined;
  };
  return submoduleSymbols(subs, resolver, direct, made, features, helper, (reg, at) => submoduleItem(resolver, reg, at));
}

/**
 * A project's chain. `rust`: its Rust part, computed beforehand from the same
 * index (`buildRustChain`); it becomes part of the chain (its variants get
 * their wrappers), so it serves one chain only. `withTests` false: the chain
 * has no tests yet (and so no test references) until `addTests`.
 */
export function buildChain(index: WorkspaceIndex, project: BindingProject, internalNames: ReadonlySet<string>, rust?: RustChain, withTests = true): Chain {
  const { resolver, calls, symbols, variants } = rust && rust.project === project ? rust : buildRustChain(index, project);
  for (const wrapper of project.wrappers) {
    for (const layout of wrapper.variants) {
      const chain = variants.find((v) => v.layout === layout)!;
      const view = index.python(wrapper.path, layout.variant.vars);
      if (view) chain.wrappers.push(wrapperChain(wrapper.path, view, layout.ext));
    }
  }

  const dispatcherView = project.dispatcher ? index.python(project.dispatcher) : undefined;
  const publicModules = new Set([project.package, ...project.variants.map((v) => v.packageDir.split('/').pop()!)]);
  const tests = withTests ? testsOf(index, project) : [];
  const byPythonName = new Map<string, BindingSymbol[]>();
  for (const s of symbols) indexByName(byPythonName, s);

  return {
    project,
    resolver,
    calls,
    symbols,
    byPythonName,
    variants,
    dispatcher: dispatcherView && { ...dispatcherView, path: project.dispatcher! },
    tests,
    testReferences: testReferencesOf(tests, publicModules),
    publicModules,
    scripts: new Map(project.buildScripts.flatMap((p) => {
      const view = index.python(p);
      return view ? [[p, view] as const] : [];
    })),
    isInternal: internalNames.size ? (s) => s.internal || internalNames.has(s.pythonName) || internalNames.has(s.rustName) || internalNames.has(s.id) : (s) => s.internal,
  };
}

function testsOf(index: WorkspaceIndex, project: BindingProject): Chain['tests'] {
  return project.tests.flatMap((path) => {
    const view = index.python(path);
    return view ? [{ ...view, path }] : [];
  });
}

/** Gives a chain built without its tests (`buildChain`) its tests and their references, from the same index. */
export function addTests(chain: Chain, index: WorkspaceIndex): void {
  chain.tests = testsOf(index, chain.project);
  chain.testReferences = testReferencesOf(chain.tests, chain.publicModules);
}

/** Names the tests reference on the public modules. */
export function testReferencesOf(tests: Chain['tests'], publicModules: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const t of tests) for (const ref of t.facts.references) if (publicModules.has(ref.module)) out.add(ref.name);
  return out;
}

export function wrapperChain(path: string, view: FactsView<PythonFacts>, ext: string): WrapperChain {
  const extImports: ImportFrom[] = [];
  const imported = new Map<string, { statement: ImportFrom; name: ImportedName }>();
  const aliases = new Map<string, string[]>();
  let star = false;
  const defined = new Set(view.facts.definedNames);
  for (const statement of view.facts.imports) {
    for (const name of statement.names) defined.add(name.alias ?? name.name);
    const module = moduleOf(view, statement);
    const last = module.replace(/^\.+/, '').split('.').pop();
    const relativeExt = module.startsWith('.') && last === ext;
    const absoluteExt = !module.startsWith('.') && module.split('.').length > 1 && last === ext;
    if (!relativeExt && !absoluteExt) continue;
    extImports.push(statement);
    if (statement.star) star = true;
    for (const name of statement.names) {
      if (imported.has(name.name)) continue;
      imported.set(name.name, { statement, name });
      if (name.alias === undefined || name.alias === name.name) continue;
      const list = aliases.get(name.alias);
      if (list) list.push(name.name);
      else aliases.set(name.alias, [name.name]);
    }
  }
  for (const imp of view.facts.moduleImports) defined.add(imp.alias);
  return { path, view, extImports, imported, star, defined, aliases };
}

/** The module of an import statement, rendered for the view's variant (`.cloaca_{{backend}}` -> `.cloaca_sqlite`). */
function moduleOf(view: FactsView<PythonFacts>, statement: ImportFrom): string {
  if (!view.projection) return statement.module;
  const text = view.file.text;
  const fromAt = text.indexOf('from', statement.span.start);
  const importAt = text.indexOf(' import', fromAt);
  if (fromAt < 0 || importAt < 0) return statement.module;
  const start = fromAt + 4;
  return view.projection.render({ start, end: importAt }).trim();
}
