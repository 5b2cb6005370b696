import type { Rule, Finding, FixIntent } from './types';
import { chainLinks, expectedIn } from './common';
import type { ImportedName } from '../facts/types';
import type { WrapperChain } from '../chain/build';

/** The wrapper's imports from the extension module, or only those of the names in `scope`. */
function importsIn(wrapper: WrapperChain, scope?: ReadonlySet<string>): Iterable<[string, { name: ImportedName }]> {
  if (!scope) return wrapper.imported;
  const out: [string, { name: ImportedName }][] = [];
  for (const name of scope) {
    const entry = wrapper.imported.get(name);
    if (entry) out.push([name, entry]);
  }
  return out;
}

export const unknownImport: Rule = {
  id: 'unknown-import',
  description: 'The wrapper imports a name its extension module does not register: `import` fails with ImportError.',
  defaultSeverity: 'error',
  fixable: true,
  check(chain, _earlier, _context, scope) {
    const findings: Finding[] = [];
    for (const variant of chain.variants) {
      if (!variant.module) continue;
      for (const wrapper of variant.wrappers) {
        for (const [name, { name: imported }] of importsIn(wrapper, scope)) {
          if (variant.registered.has(name)) continue;
          const symbol = chain.byPythonName.get(name)?.find((s) => expectedIn(s, variant));
          const fixes: FixIntent[] = [];
          if (symbol) fixes.push({ kind: 'add-registration', variant: variant.name, symbolId: symbol.id });
          fixes.push({ kind: 'remove-list-item', file: wrapper.path, span: imported.span, what: `\`${name}\` from the import` });
          findings.push({
            rule: 'unknown-import',
            severity: 'error',
            file: wrapper.path,
            span: imported.span,
            symbol: name,
            symbolId: symbol?.id,
            variant: variant.name,
            message: `\`${name}\` is not registered by the extension module: importing the wrapper fails with ImportError` +
              (symbol ? ` (\`${name}\` is declared in Rust but not registered)` : ' (nothing in Rust declares it)'),
            related: [...chainLinks(chain, name, { file: wrapper.path, span: imported.span }), { file: variant.module.file, span: variant.module.decl.nameSpan, message: `the #[pymodule] \`${variant.module.decl.pythonName}\`` }],
            fixes,
          });
        }
      }
    }
    return findings;
  },
};
