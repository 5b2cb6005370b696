import type { RegistrationHelper, RustItem, RustPath, UseDecl } from '../facts/types';
import type { BindingSymbol } from './build';
import { OverlayMap } from './overlay';

/** What a path can name: a Python-visible item, or a registration helper function. */
export type Declared = RustItem | RegistrationHelper;

export function isHelper(d: Declared): d is RegistrationHelper {
  return 'body' in d;
}

/** A Rust item with its crate-absolute path. */
export interface Located<T = Declared> {
  file: string;
  /** Module path from the crate root, including inline mods. */
  module: string[];
  item: T;
  /** The chain's symbol for a Python-visible item. */
  symbol?: BindingSymbol;
}

const moduleKeys = new WeakMap<string[], string>();

/** Map key of a module path (`a::b`); module arrays are shared, so their keys are computed once. */
export function moduleKey(module: string[]): string {
  let k = moduleKeys.get(module);
  if (k === undefined) {
    k = module.join('::');
    moduleKeys.set(module, k);
  }
  return k;
}

/** Key of a name inside the module whose key is given. */
const child = (parent: string, name: string) => (parent ? `${parent}::${name}` : name);

/** Key of a path built for one lookup (not worth remembering). */
const key = (p: string[]) => p.join('::');

/**
 * Resolves Rust paths as written in a module (`PyContext`, `context::PyContext`,
 * `crate::context::PyContext`, `super::x`, a `use ... as alias`) to the
 * crate-absolute path of a declared item, following `use` re-exports.
 */
export class RustResolver {
  /** Filled by `addItem` (a Map then); a copy made by `withFileReplaced` overlays its original's. */
  private items: ReadonlyMap<string, Located<Declared>> = new Map();
  private byName: ReadonlyMap<string, Located<Declared>[]> = new Map();
  /** module key -> alias -> use */
  private uses = new Map<string, Map<string, UseDecl & { module: string[] }>>();
  private globs = new Map<string, (UseDecl & { module: string[] })[]>();
  private modules = new Set<string>(['']);

  addItem(located: Located<Declared>): void {
    if (!(this.items instanceof Map) || !(this.byName instanceof Map)) throw new Error('a resolver copy takes no new items');
    this.items.set(child(moduleKey(located.module), located.item.rustName), located);
    const list = this.byName.get(located.item.rustName);
    if (list) list.push(located);
    else this.byName.set(located.item.rustName, [located]);
  }

  addModule(module: string[]): void {
    let k = '';
    for (const segment of module) this.modules.add((k = child(k, segment)));
  }

  addUse(module: string[], use: UseDecl): void {
    const k = moduleKey(module);
    const entry = { ...use, module };
    if (use.alias === '*') {
      const list = this.globs.get(k) ?? [];
      list.push(entry);
      this.globs.set(k, list);
    } else {
      const map = this.uses.get(k) ?? new Map();
      if (!map.has(use.alias)) map.set(use.alias, entry);
      this.uses.set(k, map);
    }
  }

  /**
   * A copy in which the declarations of `file` are replaced by `located`:
   * the declarations of the file after an edit that kept every one of their
   * paths (same modules and Rust names, in the same order). Uses and modules
   * are shared: such an edit leaves them as they were.
   */
  withFileReplaced(file: string, located: Located<Declared>[]): RustResolver {
    const copy = new RustResolver();
    copy.uses = this.uses;
    copy.globs = this.globs;
    copy.modules = this.modules;
    const items = new Map<string, Located<Declared>>();
    const byName = new Map<string, Located<Declared>[]>();
    for (const l of located) {
      const k = child(moduleKey(l.module), l.item.rustName);
      // The file's own entry (the last of its declarations with that path), unless another file's won.
      if (this.items.get(k)?.file === file || items.has(k)) items.set(k, l);
      const list = byName.get(l.item.rustName);
      if (list) list.push(l);
      else byName.set(l.item.rustName, [l]);
    }
    for (const [name, fresh] of byName) {
      let i = 0;
      byName.set(name, (this.byName.get(name) ?? []).map((l) => (l.file === file && i < fresh.length ? fresh[i++] : l)));
    }
    copy.items = OverlayMap.of(this.items, items);
    copy.byName = OverlayMap.of(this.byName, byName);
    return copy;
  }

  itemAt(absolute: string[]): Located<Declared> | undefined {
    return this.items.get(key(absolute));
  }

  /** The crate-absolute path `path` names when written in `module`, if it names a declared item. */
  resolve(path: RustPath, module: string[], depth = 0): Located<Declared> | undefined {
    if (depth > 8 || !path.length) return undefined;
    if (path.length === 1) {
      // The common case, a name declared in the same module and not shadowed by a `use`.
      const k = moduleKey(module);
      if (!this.uses.get(k)?.has(path[0])) {
        const direct = this.items.get(child(k, path[0]));
        if (direct) return direct;
      }
    }
    for (const absolute of this.candidates(path, module, depth)) {
      const found = this.lookup(absolute, depth);
      if (found) return found;
    }
    return undefined;
  }

  /** Last resort when a path does not resolve (macro-generated modules, external re-exports): a unique item with that name. */
  uniqueByName(name: string): Located<Declared> | undefined {
    const list = this.byName.get(name);
    return list?.length === 1 ? list[0] : undefined;
  }

  /**
   * The crate-absolute paths `path` may name when written in `module`, most
   * likely first (for what is not a declared item: a #[pymodule]).
   */
  paths(path: RustPath, module: string[]): string[][] {
    return path.length ? this.candidates(path, module, 0) : [];
  }

  /** Whether `name` is bound in `module` (declared there or brought in by `use`). */
  bindsName(module: string[], name: string): Located<Declared> | 'other' | undefined {
    const item = this.items.get(child(moduleKey(module), name));
    if (item) return item;
    const use = this.uses.get(moduleKey(module))?.get(name);
    if (use) return this.resolve(use.path, module, 1) ?? 'other';
    if (this.modules.has(child(moduleKey(module), name))) return 'other';
    return undefined;
  }

  private candidates(path: RustPath, module: string[], depth: number): string[][] {
    const [head, ...rest] = path;
    if (head === 'crate') return [rest];
    if (head === 'self') return [[...module, ...rest]];
    if (head === 'super') {
      let base = module.slice(0, -1);
      let i = 1;
      while (path[i] === 'super') {
        base = base.slice(0, -1);
        i++;
      }
      return [[...base, ...path.slice(i)]];
    }
    const out: string[][] = [];
    const use = this.uses.get(moduleKey(module))?.get(head);
    if (use) {
      const target = this.useTarget(use, depth);
      if (target) out.push([...target, ...rest]);
    }
    out.push([...module, ...path]);
    for (const glob of this.globs.get(moduleKey(module)) ?? []) {
      const target = this.useTarget(glob, depth);
      if (target) out.push([...target, ...path]);
    }
    out.push(path); // 2015-style paths from the crate root
    return out;
  }

  private useTarget(use: UseDecl & { module: string[] }, depth: number): string[] | undefined {
    const [head, ...rest] = use.path;
    if (head === 'crate') return rest;
    if (head === 'self') return [...use.module, ...rest];
    if (head === 'super') return this.candidates(use.path, use.module, depth + 1)[0];
    const inModule = child(moduleKey(use.module), head);
    if (this.modules.has(inModule) || this.items.has(inModule)) return [...use.module, ...use.path];
    if (this.modules.has(head) || this.items.has(head)) return use.path;
    return undefined;
  }

  private lookup(absolute: string[], depth: number): Located<Declared> | undefined {
    const direct = this.items.get(key(absolute));
    if (direct) return direct;
    // A re-export: `pub use inner::Thing;` in the parent module.
    const parent = absolute.slice(0, -1);
    const name = absolute[absolute.length - 1];
    const use = this.uses.get(key(parent))?.get(name);
    if (use && depth < 8) return this.resolve(use.path, parent, depth + 1);
    return undefined;
  }
}
