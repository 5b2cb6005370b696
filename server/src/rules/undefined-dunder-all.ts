import type { Rule, Finding } from './types';
import type { DunderAll } from '../facts/types';

export const undefinedDunderAll: Rule = {
  id: 'undefined-dunder-all',
  description: '`__all__` lists a name the module does not define: `from pkg import *` raises AttributeError.',
  defaultSeverity: 'error',
  fixable: true,
  check(chain) {
    const findings: Finding[] = [];
    const report = (file: string, all: DunderAll, defined: (name: string) => boolean, variant: string | null) => {
      const literal = new Set(all.literalEntries.map((e) => e.span.start));
      for (const entry of all.entries) {
        if (defined(entry.value)) continue;
        findings.push({
          rule: 'undefined-dunder-all',
          severity: 'error',
          file,
          span: entry.span,
          symbol: entry.value,
          variant,
          message: `\`__all__\` lists \`${entry.value}\`, which the module does not define`,
          related: [],
          fixes: literal.has(entry.span.start) ? [{ kind: 'remove-list-item', file, span: entry.span, what: `\`${entry.value}\` from \`__all__\`` }] : [],
        });
      }
    };
    for (const variant of chain.variants) {
      for (const wrapper of variant.wrappers) {
        const all = wrapper.view.facts.dunderAll;
        if (!all) continue;
        // A registered name that is not imported is missing-wrapper-import's to fix (by importing it).
        report(wrapper.path, all, (n) => wrapper.defined.has(n) || variant.registered.has(n), variant.name);
      }
    }
    const d = chain.dispatcher;
    if (d?.facts.dunderAll && !d.facts.dynamicReexport) {
      const defined = new Set([...d.facts.definedNames, ...d.facts.reexports.map((r) => r.name), ...d.facts.imports.flatMap((i) => i.names.map((n) => n.alias ?? n.name)), ...d.facts.moduleImports.map((m) => m.alias)]);
      const star = d.facts.imports.some((i) => i.star);
      // A name the backends provide but the dispatcher lacks is missing-reexport's to fix.
      const provided = (n: string) => chain.variants.some((v) => v.registered.has(n));
      if (!star) report(d.path, d.facts.dunderAll, (n) => defined.has(n) || provided(n), null);
    }
    return findings;
  },
};
