import type { BindingSymbol, Chain, VariantChain } from '../chain/build';
import type { Span } from '../facts/types';
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
