import type { Rule, Finding } from './types';
import { chainLinks, importAnchor, publicRegistered } from './common';

export const missingWrapperImport: Rule = {
  id: 'missing-wrapper-import',
  description: 'The wrapper package does not import a name its extension module registers, so users never see it.',
  defaultSeverity: 'error',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    for (const variant of chain.variants) {
      for (const wrapper of variant.wrappers) {
        if (wrapper.star) continue;
        const span = importAnchor(wrapper);
        for (const name of publicRegistered(chain, variant, scope)) {
          if (wrapper.imported.has(name)) continue;
          const site = variant.registered.get(name)![0];
          findings.push({
            rule: 'missing-wrapper-import',
            severity: 'error',
            file: wrapper.path,
            span,
            symbol: name,
            symbolId: site.symbol?.id,
            variant: variant.name,
            message: `\`${name}\` is registered by the extension module but the wrapper does not import it, so users never see it`,
            related: chainLinks(chain, name, { file: wrapper.path, span }),
            fixes: [{ kind: 'add-import', file: wrapper.path, variant: variant.name, name }],
          });
        }
      }
    }
    return findings;
  },
};
