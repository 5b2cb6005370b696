import type { Rule, Finding } from './types';

const ROOT_NAME = /root/i;
const BACKEND_DIR = /(backend|crate).*dir/i;

export const wheelDir: Rule = {
  id: 'wheel-dir',
  description: "The build script looks for wheels in the project root's target/wheels; maturin writes them to the backend crate's.",
  defaultSeverity: 'warning',
  fixable: true,
  global: true,
  check(chain) {
    const findings: Finding[] = [];
    for (const path of chain.project.buildScripts) {
      const view = chain.scripts.get(path);
      if (!view) continue;
      for (const expr of view.facts.pathExpressions) {
        const parts = expr.parts.map((p) => p.text.replace(/^['"]|['"]$/g, ''));
        const n = parts.length;
        if (n < 3 || parts[n - 2] !== 'target' || parts[n - 1] !== 'wheels') continue;
        const head = expr.parts[0];
        if (!ROOT_NAME.test(head.text) || BACKEND_DIR.test(head.text)) continue;
        const replacement = view.facts.assignedNames.find((a) => BACKEND_DIR.test(a.name))?.name;
        findings.push({
          rule: 'wheel-dir',
          severity: 'warning',
          file: path,
          span: head.span,
          symbol: null,
          variant: null,
          message: `wheels are looked for in \`${head.text} / "target" / "wheels"\`, but maturin writes them to the backend crate's target/wheels${replacement ? ` (\`${replacement}\`)` : ''}`,
          related: [],
          fixes: replacement ? [{ kind: 'replace', file: path, span: head.span, text: replacement, title: `Look in \`${replacement} / "target" / "wheels"\`` }] : [],
        });
      }
    }
    return findings;
  },
};
