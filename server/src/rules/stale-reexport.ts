import type { Rule, Finding } from './types';

export const staleReexport: Rule = {
  id: 'stale-reexport',
  description: 'The dispatcher re-exports a name that no backend provides any more.',
  defaultSeverity: 'warning',
  fixable: true,
  check(chain) {
    const d = chain.dispatcher;
    if (!d) return [];
    const provided = new Set<string>();
    for (const v of chain.variants) {
      for (const name of v.registered.keys()) provided.add(name);
      for (const w of v.wrappers) for (const name of w.defined) provided.add(name);
    }
    const findings: Finding[] = [];
    for (const r of d.facts.reexports) {
      if (provided.has(r.name)) continue;
      findings.push({
        rule: 'stale-reexport',
        severity: 'warning',
        file: d.path,
        span: r.nameSpan,
        symbol: r.name,
        variant: null,
        message: `\`${r.name}\` is re-exported but no backend module or wrapper provides it`,
        related: [],
        fixes: [{ kind: 'remove-statement', file: d.path, span: r.span, what: `the re-export of \`${r.name}\`` }],
      });
    }
    return findings;
  },
};
