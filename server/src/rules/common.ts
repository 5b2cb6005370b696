import type { BindingSymbol, Chain, VariantChain } from '../chain/build';
import type { Span } from '../facts/types';
import type { Related } from './types';
import { cfgActive } from '../layout/crate-tree';
import { isPublicName } from './types';

/** The first line of a span (a multi-line statement is squiggled on its first line only). */
export function firstLine(text: string, span: Span): Span {
  const nl = text.indexOf('\n', span.start);
  const end = nl < 0 || nl > span.end ? span.end : nl > span.start && text[nl - 1] === '\r' ? nl - 1 : nl;
  return { start: span.start, end: Math.max(end, span.start) };
}

/** Whether a variant is expected to carry the symbol (its cfgs hold for the variant's features). */
export function expectedIn(symbol: BindingSymbol, variant: VariantChain): boolean {
  return !!variant.module && cfgActive(symbol.cfg, variant.layout.variant.features);
}

const publicByVariant = new WeakMap<VariantChain, string[]>();
const publicByChain = new WeakMap<Chain, string[]>();

/** Registered, public, not-internal Python names of a variant (computed once per chain). */
export function publicRegistered(chain: Chain, variant: VariantChain): string[] {
  let names = publicByVariant.get(variant);
  if (!names) {
    names = computePublicRegistered(chain, variant);
    publicByVariant.set(variant, names);
  }
  return names;
}

function computePublicRegistered(chain: Chain, variant: VariantChain): string[] {
  const out: string[] = [];
  for (const [name, sites] of variant.registered) {
    if (!isPublicName(name)) continue;
    if (sites.every((s) => s.symbol && chain.isInternal(s.symbol))) continue;
    out.push(name);
  }
  return out;
}

/** Public names registered by any variant, in first-seen order. */
export function allPublicNames(chain: Chain): string[] {
  let all = publicByChain.get(chain);
  if (!all) {
    const names = new Set<string>();
    for (const v of chain.variants) for (const n of publicRegistered(chain, v)) names.add(n);
    all = [...names];
    publicByChain.set(chain, all);
  }
  return all;
}

const firstDeclared = new WeakMap<Chain, Map<string, BindingSymbol>>();

/** The symbol behind a Python name: the one a module registers, else the first declared. */
export function symbolByName(chain: Chain, name: string): BindingSymbol | undefined {
  for (const v of chain.variants) {
    const registered = v.registered.get(name)?.find((s) => s.symbol)?.symbol;
    if (registered) return registered;
  }
  let byName = firstDeclared.get(chain);
  if (!byName) {
    byName = new Map();
    for (const s of chain.symbols) if (!byName.has(s.pythonName)) byName.set(s.pythonName, s);
    firstDeclared.set(chain, byName);
  }
  return byName.get(name);
}

export const kindLabel: Record<string, string> = {
  class: '#[pyclass]',
  enum: 'enum',
  function: '#[pyfunction]',
  exception: 'exception',
  constant: 'constant',
};

/** Names the dispatcher binds (re-exports, definitions, imports); 'all' when it star-imports a wrapper package. */
export function reexportedNames(chain: Chain): Set<string> | 'all' {
  const f = chain.dispatcher?.facts;
  if (!f) return new Set();
  const wrapperPackages = new Set(chain.project.variants.map((v) => v.packageDir.split('/').pop()!));
  if (f.imports.some((i) => i.star && wrapperPackages.has(i.module.replace(/^\.+/, '').split('.')[0]))) return 'all';
  const covered = new Set<string>([...f.reexports.map((r) => r.name), ...f.definedNames]);
  for (const imp of f.imports) for (const n of imp.names) covered.add(n.alias ?? n.name);
  return covered;
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
  const reexport = reexportsOf(chain).get(name);
  if (reexport) push({ file: chain.dispatcher!.path, span: reexport.nameSpan, message: `re-exported by \`${chain.project.package}\` here` });
  return out;
}

const reexportCache = new WeakMap<Chain, Map<string, { nameSpan: Span }>>();

/** The dispatcher's re-exports by name (first one wins), built once per chain. */
function reexportsOf(chain: Chain): Map<string, { nameSpan: Span }> {
  let map = reexportCache.get(chain);
  if (!map) {
    map = new Map();
    for (const r of chain.dispatcher?.facts.reexports ?? []) if (!map.has(r.name)) map.set(r.name, r);
    reexportCache.set(chain, map);
  }
  return map;
}
