import * as path from 'path';
import type { CheckResult } from '../engine';
import type { WorkspaceIndex } from '../index/workspace-index';
import { RULES } from '../rules/registry';
import type { Finding } from '../rules/types';

/** A finding with 1-based line/column positions (UTF-16 columns), as printed by the CLI. */
export interface LocatedFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  symbol: string | null;
  variant: string | null;
  message: string;
}

export function locate(index: WorkspaceIndex, f: Finding): LocatedFinding {
  const lines = index.get(f.file)?.lines();
  const start = lines?.positionAt(f.span.start) ?? { line: 0, character: 0 };
  const end = lines?.positionAt(f.span.end) ?? start;
  return {
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    symbol: f.symbol,
    variant: f.variant,
    message: f.message,
  };
}

export const DOCS_URL = 'https://github.com/pyo3-bindings-checklist/pyo3-bindings-checklist#rules';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(result: CheckResult, located: LocatedFinding[]): string {
  const count = (s: string) => located.filter((f) => f.severity === s).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), plural(count('info'), 'info'), plural(count('hint'), 'hint')];
  const files = new Set(located.map((f) => f.file)).size;
  const scope = `checked ${plural(result.symbols, 'symbol')} in ${plural(result.variants, 'variant')} of ${plural(result.chains.length, 'binding project')}`;
  if (!located.length) return `no problems: ${scope}`;
  return `${plural(located.length, 'problem')} (${parts.join(', ')}) in ${plural(files, 'file')}: ${scope}`;
}

export function formatText(result: CheckResult, located: LocatedFinding[]): string {
  const lines = located.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`);
  lines.push(summaryLine(result, located));
  return lines.join('\n') + '\n';
}

export function formatJson(located: LocatedFinding[]): string {
  return JSON.stringify({ version: 1, root: '.', findings: located }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(located: LocatedFinding[], root: string, version: string): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    shortDescription: { text: r.description },
    helpUri: `${DOCS_URL.replace('#rules', '')}#${r.id}`,
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'bindings-checklist', version, informationUri: DOCS_URL.replace('#rules', ''), rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${path.resolve(root).replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results: located.map((f) => ({
          ruleId: f.rule,
          ruleIndex: RULES.findIndex((r) => r.id === f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          properties: { symbol: f.symbol, variant: f.variant },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
