import type { Chain } from '../chain/build';
import type { Rule, Finding } from './types';
import { reexportsByName } from './common';

/** Whether some backend module registers `name` or some wrapper binds it. */
function provided(chain: Chain, name: string): boolean {
  return chain.variants.some((v) => v.registered.has(name) || v.wrappers.some((w) => w.defined.has(name)));
}

export const staleReexport: Rule = {
  id: 'stale-reexport',
  description: 'The dispatcher re-exports a name that no backend provides any more.',
  defaultSeverity: 'warning',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const d = chain.dispatcher;
    if (!d) return [];
    const byName = scope && reexportsByName(d.facts);
    const reexports = byName ? [...scope].flatMap((n) => byName.get(n) ?? []) : d.facts.reexports;
    const findings: Finding[] = [];
    for (const r of reexports) {
      if (provided(chain, r.name)) continue;
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
