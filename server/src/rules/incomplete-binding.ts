import type { Rule, Finding, FixIntent } from './types';
import { wantsChain } from './types';
import { expectedIn } from './common';

const LINK_RULES = new Set(['missing-registration', 'missing-wrapper-import', 'missing-dunder-all', 'missing-reexport', 'missing-test']);

export const incompleteBinding: Rule = {
  id: 'incomplete-binding',
  description: 'Summary at the Rust declaration: how many links of the chain are missing, with one fix that completes them all.',
  defaultSeverity: 'hint',
  fixable: true,
  check(chain, earlier) {
    const missingBySymbol = new Map<string, Finding[]>();
    for (const f of earlier) {
      if (!LINK_RULES.has(f.rule)) continue;
      const key = f.symbolId ?? f.symbol;
      if (!key) continue;
      const list = missingBySymbol.get(key) ?? [];
      list.push(f);
      missingBySymbol.set(key, list);
    }
    const findings: Finding[] = [];
    for (const symbol of chain.symbols) {
      if (!wantsChain(chain, symbol)) continue;
      const missing = missingBySymbol.get(symbol.id);
      if (!missing?.length) continue;
      let total = 0;
      for (const v of chain.variants) {
        if (!expectedIn(symbol, v)) continue;
        total += 1;
        for (const w of v.wrappers) total += w.view.facts.dunderAll ? 2 : 1;
      }
      if (chain.dispatcher) total += 1;
      if (chain.tests.length) total += 1;
      const fixes: FixIntent[] = missing.flatMap((f) => f.fixes.slice(0, 1));
      const labels = [...new Set(missing.map((f) => f.rule.replace('missing-', '').replace('dunder-all', '__all__') + (f.variant ? ` in ${f.variant}` : '')))];
      findings.push({
        rule: 'incomplete-binding',
        severity: 'hint',
        file: symbol.file,
        span: symbol.nameSpan,
        symbol: symbol.pythonName,
        symbolId: symbol.id,
        variant: null,
        message: `\`${symbol.pythonName}\`: ${Math.min(missing.length, total)} of ${Math.max(total, missing.length)} links missing (${labels.join(', ')})`,
        related: missing.map((f) => ({ file: f.file, span: f.span, message: f.message })),
        fixes: fixes.length ? [{ kind: 'all', symbol: symbol.pythonName, intents: fixes }] : [],
      });
    }
    return findings;
  },
};
