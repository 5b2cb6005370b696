import type { BindingSymbol, Chain } from '../chain/build';
import type { Rule, Finding, FixIntent, RuleId } from './types';
import { wantsChain } from './types';
import { carryingVariants, chainLinks, entriesByValue, expectedIn, reexportedNames, symbolsIn } from './common';

interface Link {
  rule: RuleId;
  label: string;
  fix: FixIntent;
}

/** Whether a variant registers the symbol under its Python name (or registers the name with no symbol behind it). */
function registers(v: Chain['variants'][number], symbol: BindingSymbol): boolean {
  const sites = v.registered.get(symbol.pythonName);
  if (sites) for (const s of sites) if (s.symbol === symbol || s.symbol === null) return true;
  return false;
}

/** Whether `links` would find a link missing (the common case is none: this builds nothing). */
function anyMissing(chain: Chain, symbol: BindingSymbol, reexported: Set<string> | 'all'): boolean {
  const name = symbol.pythonName;
  for (const v of chain.variants) {
    if (!expectedIn(symbol, v)) continue;
    if (!registers(v, symbol)) return true;
    for (const w of v.wrappers) {
      const entry = w.imported.get(name);
      if (!w.star && !entry) return true;
      const all = w.view.facts.dunderAll;
      if (all?.literal && !entriesByValue(all).has(entry?.name.alias ?? name)) return true;
    }
  }
  if (chain.dispatcher && reexported !== 'all' && !reexported.has(name)) return true;
  return chain.tests.length > 0 && !chain.testReferences.has(name);
}

/** Whether another symbol is registered under this symbol's Python name in some variant. */
function heldByAnother(chain: Chain, symbol: BindingSymbol): boolean {
  for (const v of chain.variants) {
    const sites = v.registered.get(symbol.pythonName);
    if (sites) for (const s of sites) if (s.symbol && s.symbol !== symbol) return true;
  }
  return false;
}

/** Every link of a symbol's chain and whether it is there, whatever state the earlier links are in. */
function links(chain: Chain, symbol: BindingSymbol, reexported: Set<string> | 'all'): { total: number; missing: Link[] } {
  const name = symbol.pythonName;
  const missing: Link[] = [];
  let total = 0;
  for (const v of chain.variants) {
    if (!expectedIn(symbol, v)) continue;
    const at = v.name ? ` in ${v.name}` : '';
    total++;
    if (!registers(v, symbol)) missing.push({ rule: 'missing-registration', label: `registration${at}`, fix: { kind: 'add-registration', variant: v.name, symbolId: symbol.id } });
    for (const w of v.wrappers) {
      total++;
      const imported = w.star || w.imported.has(name);
      if (!imported) missing.push({ rule: 'missing-wrapper-import', label: `wrapper import${at}`, fix: { kind: 'add-import', file: w.path, variant: v.name, name } });
      const all = w.view.facts.dunderAll;
      if (!all) continue;
      total++;
      const exported = w.imported.get(name)?.name.alias ?? name;
      if (!entriesByValue(all).has(exported) && all.literal) {
        missing.push({ rule: 'missing-dunder-all', label: `__all__${at}`, fix: { kind: 'add-dunder-all', file: w.path, variant: v.name, name: exported } });
      }
    }
  }
  if (chain.dispatcher) {
    total++;
    if (reexported !== 'all' && !reexported.has(name)) missing.push({ rule: 'missing-reexport', label: 're-export', fix: { kind: 'add-reexport', name } });
  }
  if (chain.tests.length) {
    total++;
    if (!chain.testReferences.has(name)) missing.push({ rule: 'missing-test', label: 'test', fix: { kind: 'add-test', name, symbolKind: symbol.kind, variants: carryingVariants(chain, name, symbol) } });
  }
  return { total, missing };
}

export const incompleteBinding: Rule = {
  id: 'incomplete-binding',
  description: 'Summary at the Rust declaration: how many links of the chain are missing, with one fix that completes them all.',
  defaultSeverity: 'hint',
  fixable: true,
  readsTests: true,
  check(chain, _earlier, context, scope) {
    const findings: Finding[] = [];
    const reexported = reexportedNames(chain);
    for (const symbol of symbolsIn(chain, scope)) {
      if (!wantsChain(chain, symbol) || !anyMissing(chain, symbol, reexported)) continue;
      // Another declaration holds this Python name: duplicate-python-name reports it.
      if (heldByAnother(chain, symbol)) continue;
      const { total, missing: all } = links(chain, symbol, reexported);
      const missing = all.filter((l) => context.enabled(l.rule));
      if (!missing.length) continue;
      findings.push({
        rule: 'incomplete-binding',
        severity: 'hint',
        file: symbol.file,
        span: symbol.nameSpan,
        symbol: symbol.pythonName,
        symbolId: symbol.id,
        variant: null,
        message: `\`${symbol.pythonName}\`: ${missing.length} of ${total} links missing (${[...new Set(missing.map((l) => l.label))].join(', ')})`,
        related: chainLinks(chain, symbol.pythonName, { file: symbol.file, span: symbol.nameSpan }),
        fixes: [{ kind: 'all', symbol: symbol.pythonName, intents: missing.map((l) => l.fix) }],
      });
    }
    return findings;
  },
};
