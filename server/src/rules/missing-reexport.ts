import type { Rule, Finding } from './types';
import { allPublicNames, chainLinks, firstLine, reexportedNames, symbolByName } from './common';

export const missingReexport: Rule = {
  id: 'missing-reexport',
  description: 'The dispatcher package does not re-export a name the backends provide, so `cloaca.X` does not exist.',
  defaultSeverity: 'warning',
  fixable: true,
  check(chain) {
    const d = chain.dispatcher;
    if (!d) return [];
    const f = d.facts;
    const covered = reexportedNames(chain);
    if (covered === 'all') return [];
    const dynamic = f.dynamicReexport;
    const blocks = f.reexports.filter((r) => r.style === 'hasattr');
    const last = blocks[blocks.length - 1] ?? f.reexports[f.reexports.length - 1];
    const span = last ? firstLine(d.file.text, last.span) : dynamic ? firstLine(d.file.text, dynamic.span) : firstLine(d.file.text, { start: 0, end: d.file.text.length });
    const findings: Finding[] = [];
    for (const name of allPublicNames(chain)) {
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
