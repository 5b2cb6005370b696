import type { Rule, Finding } from './types';
import { allPublicNames, chainLinks, reexportAnchor, reexportedNames, symbolByName } from './common';

export const missingReexport: Rule = {
  id: 'missing-reexport',
  description: 'The dispatcher package does not re-export a name the backends provide, so `cloaca.X` does not exist.',
  defaultSeverity: 'warning',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const d = chain.dispatcher;
    if (!d) return [];
    const f = d.facts;
    const covered = reexportedNames(chain);
    if (covered === 'all') return [];
    const dynamic = f.dynamicReexport;
    const span = reexportAnchor(d);
    const findings: Finding[] = [];
    for (const name of allPublicNames(chain, scope)) {
      if (covered.has(name)) continue;
      findings.push({
        rule: 'missing-reexport',
        severity: dynamic ? 'info' : 'warning',
        file: d.path,
        span,
        symbol: name,
        symbolId: symbolByName(chain, name)?.id,
        variant: null,
        message: dynamic
          ? `\`${name}\` is only re-exported by the dynamic loop: it works at run time, but editors and type checkers do not see \`${chain.project.package}.${name}\``
          : `\`${name}\` is not re-exported by the \`${chain.project.package}\` package: \`${chain.project.package}.${name}\` does not exist`,
        related: chainLinks(chain, name),
        fixes: [{ kind: 'add-reexport', name }],
      });
    }
    return findings;
  },
};
