import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity } from 'vscode-languageserver-protocol';
import type { Severity } from '../layout/config';
import type { FixIntent, Finding } from '../rules/types';
import { toRange } from './convert';
import type { FolderState } from './folder-state';

export const SOURCE = 'bindings-checklist';
export const DOCS = 'https://github.com/pyo3-bindings-checklist/pyo3-bindings-checklist';

/** What a diagnostic carries for the code actions: the fixes and the document version they were computed for. */
export interface DiagnosticData {
  rule: string;
  symbol: string | null;
  fixes: FixIntent[];
  /** The document version the diagnostic was computed from; null for a file not open. */
  version: number | null;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(folder: FolderState, finding: Finding, version: number | null): Diagnostic {
  const lines = folder.index.get(finding.file)!.lines();
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    const file = folder.index.get(r.file);
    if (file) related.push({ location: { uri: folder.uriOf(r.file), range: toRange(file.lines(), r.span) }, message: r.message });
  }
  const data: DiagnosticData = { rule: finding.rule, symbol: finding.symbol, fixes: finding.fixes, version };
  return {
    range: toRange(lines, finding.span),
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.rule,
    codeDescription: { href: `${DOCS}#${finding.rule}` },
    message: finding.message,
    relatedInformation: related.length ? related : undefined,
    data,
  };
}

/** Diagnostics by workspace-relative file, for every file with findings. */
export function diagnosticsByFile(folder: FolderState, findings: Finding[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const f of findings) {
    const file = folder.index.get(f.file);
    if (!file) continue;
    const list = out.get(f.file) ?? [];
    list.push(toDiagnostic(folder, f, file.version));
    out.set(f.file, list);
  }
  return out;
}
