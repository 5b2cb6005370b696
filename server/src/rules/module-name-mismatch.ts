import { requiredFeatures } from '../layout/crate-tree';
import type { Rule, Finding } from './types';

const lastSegment = (s: string) => s.split('.').pop()!;

export const moduleNameMismatch: Rule = {
  id: 'module-name-mismatch',
  description: 'Cargo [lib] name, pyproject module-name and the #[pymodule] name must agree, or import fails.',
  defaultSeverity: 'error',
  fixable: true,
  global: true,
  check(chain) {
    const findings: Finding[] = [];
    for (const variant of chain.variants) {
      const { libName, moduleName } = variant.layout;
      const module = variant.module;
      const expected = moduleName ? { name: lastSegment(moduleName.value), from: moduleName, key: 'module-name' } : libName ? { name: libName.value, from: libName, key: '[lib] name' } : undefined;
      if (module && expected && module.decl.pythonName !== expected.name) {
        const renamable = module.decl.pythonName === module.decl.rustName;
        findings.push({
          rule: 'module-name-mismatch',
          severity: 'error',
          file: module.file,
          span: module.decl.nameSpan,
          symbol: null,
          variant: variant.name,
          message: `#[pymodule] \`${module.decl.pythonName}\` does not match ${expected.key} \`${expected.name}\`: import fails with "dynamic module does not define module export function (PyInit_${expected.name})"`,
          related: [{ file: expected.from.file, span: expected.from.span, message: `${expected.key} is \`${expected.from.value}\`` }],
          fixes: renamable ? [{ kind: 'replace', file: module.file, span: module.decl.nameSpan, text: expected.name, title: `Rename the #[pymodule] to \`${expected.name}\`` }] : [],
        });
      }
      const built = variant.layout.maturinFeatures;
      const needed = module ? requiredFeatures([...chain.project.files.get(module.file)!.cfg, ...module.decl.cfg]) : [];
      const lacking = built ? needed.filter((f) => !built.values.includes(f)) : [];
      if (module && built && lacking.length) {
        findings.push({
          rule: 'module-name-mismatch',
          severity: 'error',
          file: built.file,
          span: built.span,
          symbol: null,
          variant: variant.name,
          message: `maturin builds with features [${built.values.map((v) => `"${v}"`).join(', ')}] but #[pymodule] \`${module.decl.pythonName}\` needs feature ${lacking.map((f) => `"${f}"`).join(', ')}: the wheel has no \`PyInit_${module.decl.pythonName}\``,
          related: [{ file: module.file, span: module.decl.nameSpan, message: 'the #[pymodule] and its cfg' }],
          fixes: [],
        });
      }
      if (libName && moduleName && libName.value !== lastSegment(moduleName.value)) {
        const raw = moduleName.raw.includes('.') ? moduleName.raw.slice(moduleName.raw.lastIndexOf('.') + 1) : moduleName.raw;
        findings.push({
          rule: 'module-name-mismatch',
          severity: 'warning',
          file: libName.file,
          span: libName.span,
          symbol: null,
          variant: variant.name,
          message: raw === moduleName.raw
            ? `Cargo [lib] name \`${libName.raw}\` differs from pyproject module-name \`${moduleName.raw}\``
            : `Cargo [lib] name \`${libName.raw}\` differs from \`${raw}\`, the last segment of pyproject module-name \`${moduleName.raw}\``,
          related: [{ file: moduleName.file, span: moduleName.span, message: `module-name is \`${moduleName.value}\`` }],
          fixes: [{ kind: 'replace', file: libName.file, span: libName.span, text: raw, title: `Set [lib] name to \`${raw}\`` }],
        });
      }
    }
    return findings;
  },
};
