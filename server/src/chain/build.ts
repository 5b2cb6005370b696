import type { CfgExpr, ImportedName, ImportFrom, ModuleBody, PyModuleDecl, PythonFacts, Registration, RegistrationHelper, RustItem, Span, SymbolKind } from '../facts/types';
import type { FactsView, WorkspaceIndex } from '../index/workspace-index';
import { cfgActive } from '../layout/crate-tree';
import type { BindingProject, VariantLayout } from '../layout/detect';
import { Declared, isHelper, Located, RustResolver } from './resolve';

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
}

export interface VariantChain {
  layout: VariantLayout;
  name: string | null;
  module?: { file: string; decl: PyModuleDecl; rustModule: string[] };
  /** Registered Python names. */
  registered: Map<string, RegistrationSite[]>;
  /** Bodies reached from the module (its own and the helpers it calls), in call order. */
  bodies: BodyRef[];
  wrappers: WrapperChain[];
}

export interface Chain {
  project: BindingProject;
  resolver: RustResolver;
  symbols: BindingSymbol[];
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

export function buildChain(index: WorkspaceIndex, project: BindingProject, internalNames: ReadonlySet<string>): Chain {
  const resolver = new RustResolver();
  const symbols: BindingSymbol[] = [];
  const symbolOf = new Map<Declared, BindingSymbol>();
  const fileModule = (file: string) => project.files.get(file)!.modPath;

  for (const file of project.bindingFiles) {
    const facts = index.rust(file)!.facts;
    const base = fileModule(file);
    const fileCfg = project.files.get(file)!.cfg;
    resolver.addModule(base);
    for (const mod of facts.mods) resolver.addModule([...base, ...mod.scope, mod.name]);
    for (const use of facts.uses) resolver.addUse([...base, ...use.scope], use);
    for (const item of facts.items) {
      const module = item.scope.length ? [...base, ...item.scope] : base;
      resolver.addItem({ file, module, item });
      const symbol: BindingSymbol = {
        id: module.length ? `${module.join('::')}::${item.rustName}` : item.rustName,
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
      symbols.push(symbol);
      symbolOf.set(item, symbol);
    }
    for (const helper of facts.helpers) resolver.addItem({ file, module: [...base, ...helper.scope], item: helper });
  }

  const constants = new Map<string, BindingSymbol>();
  // A registration resolves the same way in every variant that reaches it.
  const resolved = new Map<Registration, { symbol: BindingSymbol | null; pythonName: string }>();
  const siteFor = (reg: Registration, file: string, module: string[], body?: BodyRef): RegistrationSite => {
    let r = resolved.get(reg);
    if (!r) {
      r = resolveRegistration(reg, file, module);
      resolved.set(reg, r);
    }
    return { symbol: r.symbol, pythonName: r.pythonName, file, registration: reg, body };
  };
  const resolveRegistration = (reg: Registration, file: string, module: string[]): { symbol: BindingSymbol | null; pythonName: string } => {
    let located: Located | undefined;
    if (reg.target) {
      located = resolver.resolve(reg.target, module);
      if (!located) {
        const fallback = resolver.uniqueByName(reg.target[reg.target.length - 1]);
        if (fallback && !isHelper(fallback.item)) located = fallback;
      }
    }
    let symbol = located && !isHelper(located.item) ? symbolOf.get(located.item) ?? null : null;
    if (!symbol && reg.pythonName && (reg.form === 'add' || reg.form === 'export')) {
      symbol = constants.get(reg.pythonName) ?? null;
      if (!symbol) {
        symbol = {
          id: `const:${reg.pythonName}`,
          kind: 'constant',
          pythonName: reg.pythonName,
          rustName: reg.pythonName,
          module,
          file,
          nameSpan: reg.span,
          span: reg.span,
          cfg: [],
          internal: false,
        };
        constants.set(reg.pythonName, symbol);
        symbols.push(symbol);
      }
    }
    const pythonName = reg.form === 'add' || (reg.form === 'export' && reg.pythonName) ? reg.pythonName! : symbol?.pythonName ?? reg.target?.[reg.target.length - 1] ?? '?';
    return { symbol, pythonName };
  };

  const variants: VariantChain[] = project.variants.map((layout) => {
    const registered = new Map<string, RegistrationSite[]>();
    const bodies: BodyRef[] = [];
    const add = (site: RegistrationSite) => {
      const list = registered.get(site.pythonName) ?? [];
      list.push(site);
      registered.set(site.pythonName, list);
    };
    const features = layout.variant.features;
    const walkBody = (body: BodyRef, seen: Set<ModuleBody>) => {
      if (seen.has(body.body)) return;
      seen.add(body.body);
      bodies.push(body);
      for (const reg of body.body.registrations) if (cfgActive(reg.cfg, features)) add(siteFor(reg, body.file, body.module, body));
      for (const call of body.body.helperCalls) {
        if (!cfgActive(call.cfg, features)) continue;
        const target = resolver.resolve(call.target, body.module);
        if (target && isHelper(target.item) && cfgActive(target.item.cfg, features)) {
          const helper: RegistrationHelper = target.item;
          walkBody({ file: target.file, module: target.module, body: helper.body, helper: helper.rustName, cfg: [...project.files.get(target.file)!.cfg, ...helper.cfg] }, seen);
        }
      }
    };
    let module: VariantChain['module'];
    if (layout.module) {
      const { file, decl } = layout.module;
      const rustModule = [...fileModule(file), ...decl.scope];
      module = { file, decl, rustModule };
      const seen = new Set<ModuleBody>();
      if (decl.body) walkBody({ file, module: decl.style === 'declarative' ? [...rustModule, decl.rustName] : rustModule, body: decl.body, cfg: [...project.files.get(file)!.cfg, ...decl.cfg] }, seen);
      for (const reg of decl.exports) if (cfgActive(reg.cfg, features)) add(siteFor(reg, file, [...rustModule, decl.rustName]));
    }
    return { layout, name: layout.variant.name, module, registered, bodies, wrappers: [] };
  });

  for (const wrapper of project.wrappers) {
    for (const layout of wrapper.variants) {
      const chain = variants.find((v) => v.layout === layout)!;
      const view = index.python(wrapper.path, layout.variant.vars);
      if (view) chain.wrappers.push(wrapperChain(wrapper.path, view, layout.ext));
    }
  }

  const dispatcherView = project.dispatcher ? index.python(project.dispatcher) : undefined;
  const publicModules = new Set([project.package, ...project.variants.map((v) => v.packageDir.split('/').pop()!)]);
  const tests = project.tests.flatMap((path) => {
    const view = index.python(path);
    return view ? [{ ...view, path }] : [];
  });
  const testReferences = new Set<string>();
  for (const t of tests) for (const ref of t.facts.references) if (publicModules.has(ref.module)) testReferences.add(ref.name);

  return {
    project,
    resolver,
    symbols,
    variants,
    dispatcher: dispatcherView && { ...dispatcherView, path: project.dispatcher! },
    tests,
    testReferences,
    publicModules,
    scripts: new Map(project.buildScripts.flatMap((p) => {
      const view = index.python(p);
      return view ? [[p, view] as const] : [];
    })),
    isInternal: (s) => s.internal || internalNames.has(s.pythonName) || internalNames.has(s.rustName) || internalNames.has(s.id),
  };
}

function wrapperChain(path: string, view: FactsView<PythonFacts>, ext: string): WrapperChain {
  const extImports: ImportFrom[] = [];
  const imported = new Map<string, { statement: ImportFrom; name: ImportedName }>();
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
    for (const name of statement.names) if (!imported.has(name.name)) imported.set(name.name, { statement, name });
  }
  for (const imp of view.facts.moduleImports) defined.add(imp.alias);
  return { path, view, extImports, imported, star, defined };
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
