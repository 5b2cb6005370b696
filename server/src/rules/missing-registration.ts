import type { BindingSymbol, VariantChain } from '../chain/build';
import type { Rule, Finding } from './types';
import { wantsChain } from './types';
import { chainLinks, expectedIn, kindLabel, symbolsIn } from './common';

/**
 * Whether a variant should carry the symbol and does not: it is expected there
 * and nothing is registered under its Python name there (a registration of the
 * symbol, or of the name with no symbol behind it, carries it; one of another
 * declaration holds the name: duplicate-python-name reports that).
 */
function lacks(variant: VariantChain, symbol: BindingSymbol): boolean {
  return expectedIn(symbol, variant) && !variant.registered.has(symbol.pythonName);
}

export const missingRegistration: Rule = {
  id: 'missing-registration',
  description: 'A #[pyclass]/#[pyfunction]/exception/constant is not registered in a #[pymodule] (variant) that should carry it.',
  defaultSeverity: 'error',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    for (const symbol of symbolsIn(chain, scope)) {
      if (!wantsChain(chain, symbol) || !chain.variants.some((v) => lacks(v, symbol))) continue;
      const registeredIn = chain.variants.filter((v) => v.registered.get(symbol.pythonName)?.some((s) => s.symbol === symbol || s.symbol === null));
      for (const variant of chain.variants) {
        if (!lacks(variant, symbol)) continue;
        const module = variant.module!;
        const elsewhere = registeredIn.map((v) => v.module!.decl.pythonName);
        findings.push({
          rule: 'missing-registration',
          severity: elsewhere.length ? 'error' : 'warning',
          file: module.file,
          span: module.decl.nameSpan,
          symbol: symbol.pythonName,
          symbolId: symbol.id,
          variant: variant.name,
          message: `${kindLabel[symbol.kind]} \`${symbol.pythonName}\` is not registered in #[pymodule] \`${module.decl.pythonName}\`` +
            (elsewhere.length ? ` (it is in ${elsewhere.map((n) => `\`${n}\``).join(', ')})` : ' (no module registers it; mark it internal if it is only returned from Rust)'),
          related: chainLinks(chain, symbol.pythonName, { file: module.file, span: module.decl.nameSpan }),
          fixes: [{ kind: 'add-registration', variant: variant.name, symbolId: symbol.id }],
        });
      }
    }
    return findings;
  },
};
