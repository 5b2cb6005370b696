import type { BindingSymbol } from '../chain/build';
import { cfgActive } from '../layout/crate-tree';
import type { Rule, Finding } from './types';

export const duplicatePythonName: Rule = {
  id: 'duplicate-python-name',
  description: 'Two Rust declarations have the same Python name; one silently replaces the other in the module.',
  defaultSeverity: 'warning',
  fixable: false,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    // Both compiled at once in some variant (not `#[cfg(unix)]` and `#[cfg(not(unix))]`).
    const together = (a: BindingSymbol, b: BindingSymbol) => chain.variants.some((v) => cfgActive([...a.cfg, ...b.cfg], v.layout.variant.features));
    for (const name of scope ?? chain.byPythonName.keys()) {
      const all = chain.byPythonName.get(name);
      if (!all || all.length < 2) continue;
      const list = all.filter((s) => s.kind !== 'constant');
      for (let i = 1; i < list.length; i++) {
        const first = list.slice(0, i).find((s) => together(s, list[i]));
        if (!first) continue;
        findings.push({
          rule: 'duplicate-python-name',
          severity: 'warning',
          file: list[i].file,
          span: list[i].nameSpan,
          symbol: name,
          symbolId: list[i].id,
          variant: null,
          message: `Python name \`${name}\` is also used by \`${first.id}\`; the later registration replaces the earlier one`,
          related: [{ file: first.file, span: first.nameSpan, message: `\`${name}\` is first declared here` }],
          fixes: [],
        });
      }
    }
    return findings;
  },
};
