import type { WrapperChain } from '../chain/build';
import type { Rule, Finding } from './types';
import { chainLinks, entriesByValue, firstLine, isPublicRegistered, publicRegistered } from './common';

/** The name the wrapper exports a registered name as (its import alias, if any). */
const exportedAs = (wrapper: WrapperChain, name: string) => wrapper.imported.get(name)?.name.alias ?? name;

export const missingDunderAll: Rule = {
  id: 'missing-dunder-all',
  description: "A name the wrapper exposes is missing from its `__all__`, so `from pkg import *` and the dispatcher's loop skip it.",
  defaultSeverity: 'warning',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    for (const variant of chain.variants) {
      for (const wrapper of variant.wrappers) {
        const all = wrapper.view.facts.dunderAll;
        if (!all) continue;
        const entries = entriesByValue(all);
        // One finding per exported name; when several registered names are exported as one, the one not renamed (else the first by name) stands for them.
        const names = new Map<string, string>();
        const consider = (name: string) => {
          const exported = exportedAs(wrapper, name);
          if (entries.has(exported) || (scope && !scope.has(exported))) return;
          const held = names.get(exported);
          const better = held === undefined || ((name === exported) !== (held === exported) ? name === exported : name < held);
          if (better) names.set(exported, name);
        };
        if (scope) {
          for (const exported of scope) {
            if (isPublicRegistered(chain, variant, exported)) consider(exported);
            for (const name of wrapper.aliases.get(exported) ?? []) if (isPublicRegistered(chain, variant, name)) consider(name);
          }
        } else {
          for (const name of publicRegistered(chain, variant)) consider(name);
        }
        for (const [exported, name] of names) {
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
