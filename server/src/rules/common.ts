import type { BindingSymbol, Chain, VariantChain, WrapperChain } from '../chain/build';
import type { DunderAll, PythonFacts, Reexport, Span, StringEntry } from '../facts/types';
import type { Related } from './types';
import { cfgActive } from '../layout/crate-tree';
import { isPublicName } from './types';

/** The first line of a span (a multi-line statement is squiggled on its first line only). */
export function firstLine(text: string, span: Span): Span {
  const nl = text.indexOf('\n', span.start);
  const end = nl < 0 || nl > span.end ? span.end : nl > span.start && text[nl - 1] === '\r' ? nl - 1 : nl;
  return { start: span.start, end: Math.max(end, span.start) };
}

/** Where missing-wrapper-import squiggles a wrapper: its last import from the extension module, else its first line. */
export function importAnchor(wrapper: WrapperChain): Span {
  const text = wrapper.view.file.text;
  const statement = wrapper.extImports[wrapper.extImports.length - 1];
  return statement ? firstLine(text, statement.span) : { start: 0, end: firstLine(text, { start: 0, end: text.length }).end };
}

/** Where missing-reexport squiggles the dispatcher: its last `hasattr` block (else last re-export, else the dynamic loop, else its first line). */
export function reexportAnchor(d: NonNullable<Chain['dispatcher']>): Span {
  const f = d.facts;
  let last: Reexport | undefined;
  for (let i = f.reexports.length - 1; i >= 0 && !last; i--) if (f.reexports[i].style === 'hasattr') last = f.reexports[i];
  last ??= f.reexports[f.reexports.length - 1];
  const text = d.file.text;
  return last ? firstLine(text, last.span) : f.dynamicReexport ? firstLine(text, f.dynamicReexport.span) : firstLine(text, { start: 0, end: text.length });
}

/** Whether a variant is expected to carry the symbol (its cfgs hold for the variant's features). */
export function expectedIn(symbol: BindingSymbol, variant: VariantChain): boolean {
  return !!variant.module && cfgActive(symbol.cfg, variant.layout.variant.features);
}

const publicByVariant = new WeakMap<VariantChain, string[]>();
const publicByChain = new WeakMap<Chain, string[]>();

/** Whether a variant registers `name` as a public name of a symbol that is not internal. */
export function isPublicRegistered(chain: Chain, variant: VariantChain, name: string): boolean {
  if (!isPublicName(name)) return false;
  const sites = variant.registered.get(name);
  return !!sites && !sites.every((s) => s.symbol && chain.isInternal(s.symbol));
}

/** Registered, public, not-internal Python names of a variant (computed once per chain); only those in `scope` when given. */
export function publicRegistered(chain: Chain, variant: VariantChain, scope?: ReadonlySet<string>): string[] {
  if (scope) return [...scope].filter((n) => isPublicRegistered(chain, variant, n));
  let names = publicByVariant.get(variant);
  if (!names) {
    names = [];
    for (const name of variant.registered.keys()) if (isPublicRegistered(chain, variant, name)) names.push(name);
    publicByVariant.set(variant, names);
  }
  return names;
}

/** Public names registered by any variant, in first-seen order; only those in `scope` when given. */
export function allPublicNames(chain: Chain, scope?: ReadonlySet<string>): string[] {
  if (scope) return [...scope].filter((n) => chain.variants.some((v) => isPublicRegistered(chain, v, n)));
  let all = publicByChain.get(chain);
  if (!all) {
    const names = new Set<string>();
    for (const v of chain.variants) for (const n of publicRegistered(chain, v)) names.add(n);
    all = [...names];
    publicByChain.set(chain, all);
  }
  return all;
}

/** The chain's symbols, or only those whose Python name is in `scope` (by name, each name's in `symbols` order). */
export function symbolsIn(chain: Chain, scope?: ReadonlySet<string>): readonly BindingSymbol[] {
  if (!scope) return chain.symbols;
  const out: BindingSymbol[] = [];
  for (const name of scope) {
    const list = chain.byPythonName.get(name);
    if (list) out.push(...list);
  }
  return out;
}

/** The symbol behind a Python name: the one a module registers, else the first declared. */
export function symbolByName(chain: Chain, name: string): BindingSymbol | undefined {
  for (const v of chain.variants) {
    const registered = v.registered.get(name)?.find((s) => s.symbol)?.symbol;
    if (registered) return registered;
  }
  return chain.byPythonName.get(name)?.[0];
}

export const kindLabel: Record<string, string> = {
  class: '#[pyclass]',
  enum: 'enum',
  function: '#[pyfunction]',
  exception: 'exception',
  constant: 'constant',
};

const boundByDispatcher = new WeakMap<PythonFacts, Set<string>>();

/** Names the dispatcher binds (re-exports, definitions, imports); 'all' when it star-imports a wrapper package. */
export function reexportedNames(chain: Chain): Set<string> | 'all' {
  const f = chain.dispatcher?.facts;
  if (!f) return new Set();
  if (starImportsWrapper(chain, f)) return 'all';
  let covered = boundByDispatcher.get(f);
  if (!covered) {
    covered = new Set<string>([...f.reexports.map((r) => r.name), ...f.definedNames]);
    for (const imp of f.imports) for (const n of imp.names) covered.add(n.alias ?? n.name);
    boundByDispatcher.set(f, covered);
  }
  return covered;
}

/** Whether the dispatcher star-imports a wrapper package (and so binds every name it has). */
export function starImportsWrapper(chain: Chain, f: PythonFacts): boolean {
  if (!f.imports.some((i) => i.star)) return false;
  const wrapperPackages = new Set(chain.project.variants.map((v) => v.packageDir.split('/').pop()!));
  return f.imports.some((i) => i.star && wrapperPackages.has(i.module.replace(/^\.+/, '').split('.')[0]));
}

/** Names of the variants that carry `name` (register it, or should), when that is not every variant; undefined otherwise. */
export function carryingVariants(chain: Chain, name: string, symbol?: BindingSymbol): string[] | undefined {
  const carrying = chain.variants.filter((v) => v.registered.has(name) || (symbol && symbol.kind !== 'constant' && expectedIn(symbol, v)));
  if (carrying.length === chain.variants.length || carrying.some((v) => v.name === null)) return undefined;
  return carrying.map((v) => v.name!);
}

/**
 * The other links of a name's chain that exist, for a diagnostic's related
 * information: the Rust declaration, its registration in each module, the
 * wrapper's import, the dispatcher's re-export. `at` (the finding's own place)
 * is left out.
 */
export function chainLinks(chain: Chain, name: string, at?: { file: string; span: Span }): Related[] {
  const out: Related[] = [];
  const seen = new Set<string>();
  const push = (r: Related) => {
    const k = `${r.file}:${r.span.start}`;
    if (seen.has(k) || (at && at.file === r.file && at.span.start === r.span.start)) return;
    seen.add(k);
    out.push(r);
  };
  const symbol = symbolByName(chain, name);
  if (symbol && symbol.kind !== 'constant') push({ file: symbol.file, span: symbol.nameSpan, message: `\`${name}\` is declared here` });
  for (const v of chain.variants) {
    const site = v.registered.get(name)?.[0];
    if (site) push({ file: site.file, span: site.registration.span, message: `registered${v.name ? ` for ${v.name}` : ''} here` });
    for (const w of v.wrappers) {
      const imported = w.imported.get(name);
      if (imported) push({ file: w.path, span: imported.name.span, message: 'imported by the wrapper here' });
    }
  }
  const reexport = reexportsOf(chain).get(name)?.[0];
  if (reexport) push({ file: chain.dispatcher!.path, span: reexport.nameSpan, message: `re-exported by \`${chain.project.package}\` here` });
  return out;
}

/** Items by key, each key's in order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

const reexportCache = new WeakMap<PythonFacts, Map<string, Reexport[]>>();

/** The dispatcher's re-exports by name, in order (built once per facts). */
export function reexportsByName(facts: PythonFacts): Map<string, Reexport[]> {
  let map = reexportCache.get(facts);
  if (!map) {
    map = groupBy(facts.reexports, (r) => r.name);
    reexportCache.set(facts, map);
  }
  return map;
}

function reexportsOf(chain: Chain): Map<string, Reexport[]> {
  return chain.dispatcher ? reexportsByName(chain.dispatcher.facts) : new Map();
}

const entriesCache = new WeakMap<DunderAll, Map<string, StringEntry[]>>();

/** The entries of an `__all__` by value, each value's in order (built once per facts object); `.has` tells whether a name is listed. */
export function entriesByValue(all: DunderAll): ReadonlyMap<string, readonly StringEntry[]> {
  let map = entriesCache.get(all);
  if (!map) {
    map = groupBy(all.entries, (e) => e.value);
    entriesCache.set(all, map);
  }
  return map;
}

/** The entries of an `__all__` with one of the given values (each value's in order); all of them without `scope`. */
export function entriesIn(all: DunderAll, scope?: ReadonlySet<string>): StringEntry[] {
  if (!scope) return all.entries;
  const map = entriesByValue(all);
  const out: StringEntry[] = [];
  for (const name of scope) {
    const list = map.get(name);
    if (list) out.push(...list);
  }
  return out;
}
