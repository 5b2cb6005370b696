import type { Rule, Finding } from './types';
import { chainLinks, firstLine, publicRegistered } from './common';

export const missingDunderAll: Rule = {
  id: 'missing-dunder-all',
  description: "A name the wrapper exposes is missing from its `__all__`, so `from pkg import *` and the dispatcher's loop skip it.",
  defaultSeverity: 'warning',
  fixable: true,
  check(chain) {
    const findings: Finding[] = [];
    for (const variant of chain.variants) {
      for (const wrapper of variant.wrappers) {
        const all = wrapper.view.facts.dunderAll;
        if (!all) continue;
        const listed = new Set(all.entries.map((e) => e.value));
        for (const name of publicRegistered(chain, variant)) {
          const exported = wrapper.imported.get(name)?.name.alias ?? name;
          if (listed.has(exported)) continue;
          findings.push({
            rule: 'missing-dunder-all',
            severity: 'warning',
            file: wrapper.path,
            span: firstLine(wrapper.view.file.text, all.span),
            symbol: exported,
            symbolId: variant.registered.get(name)![0].symbol?.id,
            variant: variant.name,
            message: `\`${exported}\` is missing from \`__all__\``,
            related: chainLinks(chain, name),
            fixes: all.literal ? [{ kind: 'add-dunder-all', file: wrapper.path, variant: variant.name, name: exported }] : [],
          });
        }
      }
    }
    return findings;
  },
};
