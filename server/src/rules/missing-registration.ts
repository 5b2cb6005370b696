import type { Rule, Finding } from './types';
import { wantsChain } from './types';
import { chainLinks, expectedIn, kindLabel, symbolsIn } from './common';

export const missingRegistration: Rule = {
  id: 'missing-registration',
  description: 'A #[pyclass]/#[pyfunction]/exception/constant is not registered in a #[pymodule] (variant) that should carry it.',
  defaultSeverity: 'error',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    for (const symbol of symbolsIn(chain, scope)) {
      if (!wantsChain(chain, symbol)) continue;
      const registeredIn = chain.variants.filter((v) => v.registered.get(symbol.pythonName)?.some((s) => s.symbol === symbol || s.symbol === null));
      for (const variant of chain.variants) {
        if (!expectedIn(symbol, variant) || registeredIn.includes(variant)) continue;
        // Another declaration holds this Python name here: duplicate-python-name reports it.
        if (variant.registered.get(symbol.pythonName)?.some((s) => s.symbol && s.symbol !== symbol)) continue;
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
