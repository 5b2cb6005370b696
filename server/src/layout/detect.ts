import * as path from 'path';
import type { PyModuleDecl, Span } from '../facts/types';
import { tomlGet, tomlString } from '../facts/toml';
import type { WorkspaceIndex } from '../index/workspace-index';
import { isTemplatePath, placeholderNames, renderString, stripTemplateExtension, TemplateVars } from '../parsing/template';
import type { Config } from './config';
import { cfgActive, CrateFile, crateFiles, requiredFeatures } from './crate-tree';

export interface Variant {
  /** The feature/backend name, or null for a project built one way only. */
  name: string | null;
  vars: TemplateVars;
  features: ReadonlySet<string>;
}

/** A value read from Cargo.toml / pyproject.toml (or their templates) for one variant. */
export interface ConfigValue {
  file: string;
  /** Rendered for the variant. */
  value: string;
  /** The string's content (inside the quotes) in the file's own text. */
  span: Span;
  /** The file's own text of the content (may hold `{{placeholders}}`). */
  raw: string;
}

export interface VariantLayout {
  variant: Variant;
  /** The #[pymodule] built for this variant. */
  module?: { file: string; decl: PyModuleDecl };
  libName?: ConfigValue;
  /** `[tool.maturin] features`, rendered for the variant: what the wheel is built with. */
  maturinFeatures?: { file: string; values: string[]; span: Span };
  moduleName?: ConfigValue;
  /** Last segment of the extension module's name: what `from .<ext> import` names and `PyInit_<ext>` must match. */
  ext: string;
  /** Package folder of the wrapper, e.g. `cloaca-backend/python/cloaca_sqlite`. */
  packageDir: string;
}

export interface BindingProject {
  crateDir: string;
  rootFile: string;
  files: Map<string, CrateFile>;
  /** Crate files whose text may hold bindings (the only Rust files parsed). */
  bindingFiles: string[];
  /**
   * The #[pymodule]s that no variant builds as its extension module: those
   * it registers as submodules (`chain/submodules.ts`), or none.
   */
  otherModules: { file: string; decl: PyModuleDecl }[];
  variable: string;
  variants: VariantLayout[];
  cargoFiles: string[];
  pyprojectFiles: string[];
  wrappers: { path: string; variants: VariantLayout[] }[];
  dispatcher?: string;
  /** The package users import (`cloaca`). */
  package: string;
  tests: string[];
  buildScripts: string[];
}

export interface Layout {
  projects: BindingProject[];
}

/** Files pytest collects. */
export const TEST_FILE = /(^|\/)(test_[^/]*\.py|[^/]*_test\.py)$/;

/** Whether a Python text looks for wheels in a `target` folder (a build script, unless configured). */
export function locatesWheels(text: string): boolean {
  return /wheels/.test(text) && /["']target["']/.test(text);
}

/** How strongly an `__init__.py` text looks like the dispatcher (undefined: not at all). */
export function dispatcherScore(text: string, extNames: string[]): number | undefined {
  const mentionsBackend = extNames.some((n) => text.includes(n)) || text.includes('_backend_module');
  if (!mentionsBackend) return undefined;
  return (text.match(/hasattr\(/g)?.length ?? 0) + (text.includes('_backend_module') ? 1 : 0);
}

/** Whether a test file's text names one of the packages (and so tests the project). */
export function testsPackages(text: string, packages: string[]): boolean {
  return packages.some((pkg) => text.includes(pkg));
}

/** The packages a test must mention to count for a project: the package users import and the wrapper packages. */
export function testedPackages(project: BindingProject): string[] {
  return [project.package, ...project.variants.map((l) => path.posix.basename(l.packageDir))];
}

/** The last layout detected per index, for the index's generation and the config it was detected with. */
const lastLayout = new WeakMap<WorkspaceIndex, { generation: number; config: Config; layout: Layout }>();

/**
 * The binding projects of the workspace. Detected once per state of the index
 * (`generation`) and config: preparing the facts and the check that follows
 * share one detection.
 */
export function detectLayout(index: WorkspaceIndex, config: Config): Layout {
  const last = lastLayout.get(index);
  if (last && last.generation === index.generation && last.config === config) return last.layout;
  const layout = detect(index, config);
  lastLayout.set(index, { generation: index.generation, config, layout });
  return layout;
}

function detect(index: WorkspaceIndex, config: Config): Layout {
  const paths = [...index.paths()];
  const projects: BindingProject[] = [];
  for (const crate of findCrates(index, paths, config)) {
    const project = detectProject(index, paths, config, crate);
    if (project) projects.push(project);
  }
  return { projects };
}

function findCrates(index: WorkspaceIndex, paths: string[], config: Config): { dir: string; rootFile: string }[] {
  const crates = new Map<string, string>();
  const join = (dir: string, rel: string) => (dir ? `${dir}/${rel}` : rel);
  for (const p of paths) {
    let dir: string | undefined;
    let root: string | undefined;
    if (p === 'Cargo.toml' || p.endsWith('/Cargo.toml')) {
      dir = path.posix.dirname(p) === '.' ? '' : path.posix.dirname(p);
      const libPath = tomlString(index.toml(p)?.facts.root ?? new Map(), ['lib', 'path'])?.value;
      root = join(dir, libPath ?? 'src/lib.rs');
    } else if (p === 'src/lib.rs' || p.endsWith('/src/lib.rs')) {
      dir = p === 'src/lib.rs' ? '' : p.slice(0, -'/src/lib.rs'.length);
      root = p;
    }
    if (dir === undefined || !root || !index.has(root)) continue;
    if (config.crates && !config.crates.some((c) => c.replace(/\/$/, '') === dir)) continue;
    if (!crates.has(dir)) crates.set(dir, root);
  }
  return [...crates].map(([dir, rootFile]) => ({ dir, rootFile }));
}

function detectProject(index: WorkspaceIndex, paths: string[], config: Config, crate: { dir: string; rootFile: string }): BindingProject | undefined {
  const files = crateFiles(index, crate.rootFile);
  const bindingFiles = [...files.keys()].filter((f) => index.mayHoldBindings(f));
  const modules: { file: string; decl: PyModuleDecl; features: string[] }[] = [];
  for (const file of bindingFiles) {
    for (const decl of index.rust(file)!.facts.modules) {
      modules.push({ file, decl, features: requiredFeatures([...files.get(file)!.cfg, ...decl.cfg]) });
    }
  }
  if (!modules.length) return undefined;

  const prefix = crate.dir ? `${crate.dir}/` : '';
  const templates = paths.filter((p) => index.get(p)?.template);
  const variable = config.variable ?? templates.flatMap((p) => [...placeholderNames(p), ...placeholderNames(index.get(p)!.text)])[0] ?? 'backend';
  const cargoFiles = paths.filter((p) => p === `${prefix}Cargo.toml` || (isTemplatePath(p) && /cargo[^/]*\.toml$/i.test(stripTemplateExtension(p))));
  const ownsCrate = (p: string) => manifestPathOf(index, p) === `${prefix}Cargo.toml`;
  const pyprojectFiles = paths.filter(
    (p) => p === `${prefix}pyproject.toml` || (isTemplatePath(p) && /pyproject[^/]*\.toml$/i.test(stripTemplateExtension(p))) || (/(^|\/)pyproject\.toml$/.test(p) && ownsCrate(p)),
  );

  const variants = variantsOf(modules, config, variable, index, pyprojectFiles);
  const layouts: VariantLayout[] = variants.map((variant) => {
    const libName = readString(index, cargoFiles, ['lib', 'name'], variant);
    const moduleName = readString(index, pyprojectFiles, ['tool', 'maturin', 'module-name'], variant);
    const built = modules.filter((m) => (variant.name === null ? true : cfgActive([...files.get(m.file)!.cfg, ...m.decl.cfg], variant.features)));
    const module = mainModule(built, files, (moduleName?.value ?? libName?.value)?.split('.').pop());
    const maturinFeatures = readStringList(index, pyprojectFiles, ['tool', 'maturin', 'features'], variant);
    // maturin's default python-source is the project's folder itself (`pkg/__init__.py` beside pyproject.toml).
    const pythonSource = readString(index, pyprojectFiles, ['tool', 'maturin', 'python-source'], variant)?.value;
    // python-source is relative to the pyproject.toml; one elsewhere than the crate names the crate by manifest-path.
    const pyproject = pyprojectFiles.find((p) => !isTemplatePath(p));
    const base = pyproject && pyproject !== `${prefix}pyproject.toml` ? dirPrefix(path.posix.dirname(pyproject)) : prefix;
    const fullName = moduleName?.value ?? libName?.value ?? module?.decl.pythonName ?? '';
    const segments = fullName.split('.');
    const ext = segments[segments.length - 1];
    const pkg = segments.length > 1 ? segments.slice(0, -1) : segments;
    return { variant, module: module && { file: module.file, decl: module.decl }, libName, moduleName, maturinFeatures, ext, packageDir: `${base}${pythonSource ? `${pythonSource}/` : ''}${pkg.join('/')}`.replace(/\/\.\//g, '/').replace(/^\.\//, '') };
  });

  const wrappers = findWrappers(paths, config, layouts);
  const wrapperPaths = new Set(wrappers.map((w) => w.path));
  const extNames = layouts.map((l) => l.ext);
  const dispatcher = config.dispatcher ?? findDispatcher(index, paths, wrapperPaths, extNames, prefix);
  // The package users import: the dispatcher's, else the one module-name puts the extension module in (`shop.bindings`).
  const dotted = layouts[0].moduleName?.value.split('.').slice(0, -1).join('.');
  const packageName =
    config.package ??
    (dispatcher ? path.posix.basename(path.posix.dirname(dispatcher)) : dotted || path.posix.basename(layouts[0].packageDir));
  const mains = new Set(layouts.map((l) => l.module?.decl));
  return {
    crateDir: crate.dir,
    rootFile: crate.rootFile,
    files,
    bindingFiles,
    otherModules: modules.filter((m) => !mains.has(m.decl)).map(({ file, decl }) => ({ file, decl })),
    variable,
    variants: layouts,
    cargoFiles,
    pyprojectFiles,
    wrappers,
    dispatcher,
    package: packageName,
    tests: findTests(index, paths, config, [packageName, ...layouts.map((l) => path.posix.basename(l.packageDir))]),
    buildScripts: config.buildScripts ?? paths.filter((p) => p.endsWith('.py') && !TEST_FILE.test(p) && locatesWheels(index.get(p)!.text)),
  };
}

/**
 * The #[pymodule] a variant builds, of those its features compile: the one
 * named as Python looks for it (the last segment of module-name, or the lib
 * name), else the first not nested in a declarative #[pymodule] (nested ones
 * are its submodules), else the first.
 */
function mainModule<M extends { file: string; decl: PyModuleDecl }>(built: M[], files: Map<string, CrateFile>, name: string | undefined): M | undefined {
  const named = name === undefined ? undefined : built.find((m) => m.decl.pythonName === name);
  if (named) return named;
  const inner = (m: M) => [...files.get(m.file)!.modPath, ...m.decl.scope, m.decl.rustName].join('::');
  const declarative = new Set(built.filter((m) => m.decl.style === 'declarative').map(inner));
  const container = (m: M) => [...files.get(m.file)!.modPath, ...m.decl.scope];
  const nested = (m: M) => {
    const path = container(m);
    for (let n = path.length; n > 0; n--) if (declarative.has(path.slice(0, n).join('::'))) return true;
    return false;
  };
  return built.find((m) => !nested(m)) ?? built[0];
}

function variantsOf(modules: { features: string[] }[], config: Config, variable: string, index: WorkspaceIndex, pyprojectFiles: string[]): Variant[] {
  const make = (name: string): Variant => ({ name, vars: { [variable]: name }, features: new Set([name]) });
  if (config.variants?.length) return config.variants.map(make);
  const gated = [...new Set(modules.map((m) => m.features[0]).filter((f): f is string => !!f))];
  if (modules.length > 1 && gated.length > 1) return gated.sort().map(make);
  // One build: the features maturin enables, if the pyproject lists them.
  const features = new Set<string>();
  for (const file of pyprojectFiles) {
    const entry = index.toml(file)?.facts.root.get('tool');
    const maturin = entry?.value.kind === 'table' ? entry.value.entries.get('maturin') : undefined;
    const list = maturin?.value.kind === 'table' ? maturin.value.entries.get('features') : undefined;
    if (list?.value.kind === 'array') for (const item of list.value.items) if (item.kind === 'string') features.add(item.value);
  }
  return [{ name: null, vars: {}, features }];
}

/** `dir/`, or '' for the workspace root. */
function dirPrefix(dir: string): string {
  return dir === '.' || dir === '' ? '' : `${dir}/`;
}

/** The Cargo.toml a pyproject.toml's `[tool.maturin] manifest-path` names, workspace-relative; undefined without one. */
function manifestPathOf(index: WorkspaceIndex, pyproject: string): string | undefined {
  const value = tomlString(index.toml(pyproject)?.facts.root ?? new Map(), ['tool', 'maturin', 'manifest-path'])?.value;
  if (!value) return undefined;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(pyproject), value.replace(/\\/g, '/')));
  return resolved.startsWith('../') ? undefined : resolved.replace(/^\.\//, '');
}

function readString(index: WorkspaceIndex, files: string[], key: string[], variant: Variant): ConfigValue | undefined {
  for (const file of files) {
    const view = index.toml(file, variant.vars);
    if (!view) continue;
    const found = tomlString(view.facts.root, key);
    if (!found) continue;
    const span = found.contentSpan ?? found.span;
    return { file, value: view.value(span, found.value), span, raw: view.file.text.slice(span.start, span.end) };
  }
  return undefined;
}

function readStringList(index: WorkspaceIndex, files: string[], key: string[], variant: Variant): VariantLayout['maturinFeatures'] {
  for (const file of files) {
    const view = index.toml(file, variant.vars);
    const entry = view && tomlGet(view.facts.root, key);
    if (!view || !entry || entry.value.kind !== 'array') continue;
    const values = entry.value.items.flatMap((item) => (item.kind === 'string' ? [view.value(item.contentSpan ?? item.span, item.value)] : []));
    return { file, values, span: entry.value.span };
  }
  return undefined;
}

function findWrappers(paths: string[], config: Config, layouts: VariantLayout[]): BindingProject['wrappers'] {
  const candidates = config.wrappers ?? paths.filter((p) => p.endsWith('/__init__.py'));
  const out: BindingProject['wrappers'] = [];
  for (const candidate of candidates) {
    if (!paths.includes(candidate)) continue;
    const serves = layouts.filter((l) => {
      const rendered = l.variant.name === null ? candidate : renderString(candidate, l.variant.vars);
      return config.wrappers ? true : rendered === `${l.packageDir}/__init__.py`;
    });
    if (serves.length) out.push({ path: candidate, variants: serves });
  }
  return out;
}

function findDispatcher(index: WorkspaceIndex, paths: Iterable<string>, wrappers: Set<string>, extNames: string[], cratePrefix: string): string | undefined {
  let best: { path: string; score: number } | undefined;
  for (const candidate of dispatcherCandidates(index, paths, wrappers, extNames, cratePrefix)) if (!best || candidate.score > best.score) best = candidate;
  return best?.path;
}

/** The `__init__.py` files that may be a project's dispatcher, with their scores (the first best one is). */
export function* dispatcherCandidates(index: WorkspaceIndex, paths: Iterable<string>, wrappers: Set<string>, extNames: string[], cratePrefix: string, except?: string): Generator<{ path: string; score: number }> {
  for (const p of paths) {
    if (!p.endsWith('__init__.py') || p === except || wrappers.has(p) || (cratePrefix && p.startsWith(cratePrefix)) || index.get(p)!.template) continue;
    const score = dispatcherScore(index.get(p)!.text, extNames);
    if (score !== undefined) yield { path: p, score };
  }
}

function findTests(index: WorkspaceIndex, paths: string[], config: Config, packages: string[]): string[] {
  let roots = config.tests;
  if (!roots) {
    const pyproject = index.toml('pyproject.toml')?.facts.root;
    const testpaths = pyproject && pyprojectTestpaths(pyproject);
    roots = testpaths?.length ? testpaths : undefined;
  }
  return paths.filter((p) => {
    if (!TEST_FILE.test(p) || index.get(p)!.template) return false;
    if (roots && !roots.some((r) => p === r || p.startsWith(`${r.replace(/\/$/, '')}/`))) return false;
    return testsPackages(index.get(p)!.text, packages);
  });
}

function pyprojectTestpaths(root: Map<string, import('../facts/types').TomlEntry>): string[] | undefined {
  const tool = root.get('tool')?.value;
  const pytest = tool?.kind === 'table' ? tool.entries.get('pytest')?.value : undefined;
  const ini = pytest?.kind === 'table' ? pytest.entries.get('ini_options')?.value : undefined;
  const testpaths = ini?.kind === 'table' ? ini.entries.get('testpaths')?.value : undefined;
  if (testpaths?.kind === 'array') return testpaths.items.flatMap((i) => (i.kind === 'string' ? [i.value] : []));
  if (testpaths?.kind === 'string') return [testpaths.value];
  return undefined;
}
