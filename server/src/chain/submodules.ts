/**
 * Submodules: modules that the extension module a variant builds registers
 * inside itself. A declarative `#[pymodule] mod x` nested in a declarative
 * #[pymodule] is added to it as `x`; `#[pymodule_export] use path::to::x;`
 * and `m.add_wrapped(wrap_pymodule!(x))?` add the #[pymodule] they name; a
 * body (of the module or a helper it calls) may make a module,
 * `let sub = PyModule::new(py, "sub")?;`, register on it and add it,
 * `m.add_submodule(&sub)?`. What a submodule registers is registered, under the
 * submodule (`ext.x.Name`): nothing further down the chain (wrapper, package,
 * tests) is asked of it.
 */
import type { HelperCall, InlineSubmodule, ModuleBody, PyModuleDecl, Registration, RustPath } from '../facts/types';
import { cfgActive } from '../layout/crate-tree';
import type { BindingProject } from '../layout/detect';
import type { BindingSymbol } from './build';
import type { RustResolver } from './resolve';

/** A #[pymodule] of the project, with the crate-absolute path of its item. */
export interface ModuleRef {
  file: string;
  decl: PyModuleDecl;
  /** `[...file's module path, ...scope, rustName]`: the fn, or the inside of the declarative mod. */
  path: string[];
}

const key = (path: readonly string[]) => path.join('::');

/** A #[pymodule] with its path. */
function moduleRef(project: BindingProject, file: string, decl: PyModuleDecl): ModuleRef {
  return { file, decl, path: [...project.files.get(file)!.modPath, ...decl.scope, decl.rustName] };
}

/** The #[pymodule]s no variant builds as its extension module (`BindingProject.otherModules`), found by path. */
export class Submodules {
  private readonly byPath = new Map<string, ModuleRef>();
  private readonly byName = new Map<string, ModuleRef[]>();
  private readonly byContainer = new Map<string, ModuleRef[]>();

  constructor(private readonly project: BindingProject) {
    for (const { file, decl } of project.otherModules) {
      const ref = moduleRef(project, file, decl);
      this.byPath.set(key(ref.path), ref);
      const named = this.byName.get(decl.rustName);
      if (named) named.push(ref);
      else this.byName.set(decl.rustName, [ref]);
      if (decl.style !== 'declarative') continue;
      const container = key(ref.path.slice(0, -1));
      const inside = this.byContainer.get(container);
      if (inside) inside.push(ref);
      else this.byContainer.set(container, [ref]);
    }
  }

  get size(): number {
    return this.byPath.size;
  }

  /** The #[pymodule] a path written in `module` names (by the resolver's rules, else a unique one of that name). */
  resolve(resolver: RustResolver, target: RustPath | undefined, module: string[]): ModuleRef | undefined {
    if (!target?.length || !this.byPath.size) return undefined;
    for (const path of resolver.paths(target, module)) {
      const found = this.byPath.get(key(path));
      if (found) return found;
    }
    const named = this.byName.get(target[target.length - 1]);
    return named?.length === 1 ? named[0] : undefined;
  }

  /** The declarative #[pymodule]s declared directly inside the declarative module whose inside is `path`. */
  nestedIn(path: readonly string[]): readonly ModuleRef[] {
    return this.byContainer.get(key(path)) ?? [];
  }

  /** Whether a #[pymodule] is compiled with the variant's features (its file's cfgs and its own). */
  active(ref: ModuleRef, features: ReadonlySet<string>): boolean {
    return cfgActive([...this.project.files.get(ref.file)!.cfg, ...ref.decl.cfg], features);
  }
}

/** A registration of a nested declarative submodule in the module it is declared in. */
export function nestedRegistration(ref: ModuleRef): Registration {
  return { form: 'export', pythonName: ref.decl.pythonName, span: ref.decl.nameSpan, cfg: [] };
}

/** What a module body (or a module made in one) registers, and the helpers it calls. */
interface Sink {
  registrations: readonly Registration[];
  helperCalls: readonly HelperCall[];
  submodules?: readonly InlineSubmodule[];
}

/** Whether a module a body made is added to the body's module with the given features (`m.add_submodule(&sub)?`). */
export function addedSubmodule(sub: InlineSubmodule, features: ReadonlySet<string>): boolean {
  return !!sub.added && cfgActive([...sub.cfg, ...sub.added.cfg], features);
}

/**
 * The symbols registered by the submodules a variant's extension module
 * reaches (and theirs, and so on): `refs` are the #[pymodule]s it registers
 * itself, `made` the modules its bodies make and add. `helper` gives the
 * body of a registration helper a call names (when compiled with the
 * features); `item` the symbol a registration names.
 */
export function submoduleSymbols(
  subs: Submodules,
  resolver: RustResolver,
  refs: readonly ModuleRef[],
  made: readonly { sub: InlineSubmodule; module: string[] }[],
  features: ReadonlySet<string>,
  helper: (call: HelperCall, module: string[]) => { body: ModuleBody; module: string[] } | undefined,
  item: (reg: Registration, module: string[]) => BindingSymbol | null,
): Set<BindingSymbol> {
  const symbols = new Set<BindingSymbol>();
  const seen = new Set<object>();
  const reach = (ref: ModuleRef | undefined) => {
    if (!ref || seen.has(ref.decl) || !subs.active(ref, features)) return;
    seen.add(ref.decl);
    // A function's body is written in the module around it; a declarative module's init fn, inside it.
    if (ref.decl.body) visit(ref.decl.body, ref.decl.style === 'declarative' ? ref.path : ref.path.slice(0, -1));
    if (ref.decl.style !== 'declarative') return;
    for (const reg of ref.decl.exports) register(reg, ref.path);
    subs.nestedIn(ref.path).forEach(reach);
  };
  const register = (reg: Registration, module: string[]) => {
    if (!cfgActive(reg.cfg, features)) return;
    const symbol = item(reg, module);
    if (symbol) symbols.add(symbol);
    else reach(subs.resolve(resolver, reg.target, module));
  };
  const visit = (sink: Sink, module: string[]) => {
    if (seen.has(sink)) return;
    seen.add(sink);
    for (const reg of sink.registrations) register(reg, module);
    for (const call of sink.helperCalls) {
      if (!cfgActive(call.cfg, features)) continue;
      const target = helper(call, module);
      if (target) visit(target.body, target.module);
    }
    for (const sub of sink.submodules ?? []) if (addedSubmodule(sub, features)) visit(sub, module);
  };
  refs.forEach(reach);
  for (const { sub, module } of made) visit(sub, module);
  return symbols;
}
