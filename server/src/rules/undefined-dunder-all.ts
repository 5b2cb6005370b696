import type { Rule, Finding } from './types';
import type { DunderAll, PythonFacts } from '../facts/types';
import { entriesIn } from './common';

const boundCache = new WeakMap<PythonFacts, Set<string>>();

/** Names a module binds: definitions, re-exports, imports (built once per facts). */
function bound(f: PythonFacts): Set<string> {
  let set = boundCache.get(f);
  if (!set) {
    set = new Set([...f.definedNames, ...f.reexports.map((r) => r.name), ...f.imports.flatMap((i) => i.names.map((n) => n.alias ?? n.name)), ...f.moduleImports.map((m) => m.alias)]);
    boundCache.set(f, set);
  }
  return set;
}

const literalCache = new WeakMap<DunderAll, Set<number>>();

/** Where the entries of the main literal start (the ones a fix can remove). */
function literalStarts(all: DunderAll): Set<number> {
  let set = literalCache.get(all);
  if (!set) {
    set = new Set(all.literalEntries.map((e) => e.span.start));
    literalCache.set(all, set);
  }
  return set;
}

export const undefinedDunderAll: Rule = {
  id: 'undefined-dunder-all',
  description: '`__all__` lists a name the module does not define: `from pkg import *` raises AttributeError.',
  defaultSeverity: 'error',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    const report = (file: string, all: DunderAll, defined: (name: string) => boolean, variant: string | null) => {
      for (const entry of entriesIn(all, scope)) {
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
          fixes: literalStarts(all).has(entry.span.start) ? [{ kind: 'remove-list-item', file, span: entry.span, what: `\`${entry.value}\` from \`__all__\`` }] : [],
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
      const defined = bound(d.facts);
      const star = d.facts.imports.some((i) => i.star);
      // A name the backends provide but the dispatcher lacks is missing-reexport's to fix.
      const provided = (n: string) => chain.variants.some((v) => v.registered.has(n));
      if (!star) report(d.path, d.facts.dunderAll, (n) => defined.has(n) || provided(n), null);
    }
    return findings;
  },
};
