import type { BindingSymbol, Chain } from '../chain/build';
import type { Rule, Finding, FixIntent, RuleId } from './types';
import { wantsChain } from './types';
import { carryingVariants, chainLinks, expectedIn, listed, reexportedNames, symbolsIn } from './common';

interface Link {
  rule: RuleId;
  label: string;
  fix: FixIntent;
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
    const registered = v.registered.get(name)?.some((s) => s.symbol === symbol || s.symbol === null);
    if (!registered) missing.push({ rule: 'missing-registration', label: `registration${at}`, fix: { kind: 'add-registration', variant: v.name, symbolId: symbol.id } });
    for (const w of v.wrappers) {
      total++;
      const imported = w.star || w.imported.has(name);
      if (!imported) missing.push({ rule: 'missing-wrapper-import', label: `wrapper import${at}`, fix: { kind: 'add-import', file: w.path, variant: v.name, name } });
      const all = w.view.facts.dunderAll;
      if (!all) continue;
      total++;
      const exported = w.imported.get(name)?.name.alias ?? name;
      if (!listed(all).has(exported) && all.literal) {
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
  check(chain, _earlier, context, scope) {
    const findings: Finding[] = [];
    const reexported = reexportedNames(chain);
    for (const symbol of symbolsIn(chain, scope)) {
      if (!wantsChain(chain, symbol)) continue;
      // Another declaration holds this Python name: duplicate-python-name reports it.
      if (chain.variants.some((v) => v.registered.get(symbol.pythonName)?.some((s) => s.symbol && s.symbol !== symbol))) continue;
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
