import { runChecks } from '../engine';
import { makeSourceFile } from '../index/source';
import type { WorkspaceIndex } from '../index/workspace-index';
import type { Config } from '../layout/config';
import { detectLayout } from '../layout/detect';
import { applyEdits, editsByFile } from './apply';
import { fixAll } from './fix-all';
import { eolOf } from './text-utils';

export type AddSymbolKind = 'class' | 'function' | 'enum' | 'constant';

export interface AddSymbolRequest {
  kind: AddSymbolKind;
  pythonName: string;
  /** Workspace-relative Rust file that gets the declaration. */
  rustFile: string;
  /** Variants to register it in; null for all. */
  variants: string[] | null;
}

export interface AddSymbolResult {
  /** Every file the edit touches, with its text before and after. */
  changes: Map<string, { before: string; after: string }>;
  /** Where the new declaration's name is, in the new text. */
  declaration: { file: string; offset: number };
}

const PYTHON_KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));
const LINK_RULES = new Set(['missing-registration', 'missing-wrapper-import', 'missing-dunder-all', 'missing-reexport', 'missing-test']);

export function addSymbolChoices(index: WorkspaceIndex, config: Config): { rustFiles: string[]; defaultRustFile?: string; variants: string[] } {
  const project = detectLayout(index, config).projects[0];
  if (!project) return { rustFiles: [], variants: [] };
  return {
    rustFiles: [...project.files.keys()].sort(),
    defaultRustFile: project.rootFile,
    variants: project.variants.flatMap((v) => (v.variant.name === null ? [] : [v.variant.name])),
  };
}

/** Why `name` cannot be the new symbol's Python name, or undefined when it can. */
export function validatePythonName(index: WorkspaceIndex, config: Config, name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `\`${name}\` is not a Python identifier`;
  if (PYTHON_KEYWORDS.has(name)) return `\`${name}\` is a Python keyword`;
  const result = runChecks(index, config);
  for (const chain of result.chains) {
    const symbol = chain.symbols.find((s) => s.pythonName === name || s.rustName === name);
    if (symbol) return `\`${name}\` is already taken by \`${symbol.id}\``;
    for (const v of chain.variants) if (v.registered.has(name)) return `\`${name}\` is already registered in \`${v.layout.ext}\``;
  }
  return undefined;
}

function rustItem(kind: AddSymbolKind, name: string, cfg: string, eol: string): string {
  const lines: string[] = [];
  if (cfg) lines.push(cfg);
  switch (kind) {
    case 'class':
      lines.push('#[pyclass]', `pub struct ${name} {}`, '');
      if (cfg) lines.push(cfg);
      lines.push('#[pymethods]', `impl ${name} {`, '    #[new]', '    fn new() -> Self {', `        ${name} {}`, '    }', '}');
      break;
    case 'function':
      lines.push('#[pyfunction]', `pub fn ${name}() -> PyResult<()> {`, '    Ok(())', '}');
      break;
    case 'enum':
      lines.push('#[pyclass]', '#[derive(Clone, Copy, PartialEq, Eq)]', `pub enum ${name} {`, '    First,', '    Second,', '}');
      break;
    case 'constant':
      lines.push(`pub const ${name}: i64 = 0;`);
      break;
  }
  return lines.join(eol);
}

/**
 * Writes a new symbol's whole chain: the Rust item, its registration in each
 * chosen #[pymodule], the wrapper import and `__all__` entry, the dispatcher's
 * re-export and a test. Works on a fork of the index; nothing is written.
 */
export function addBindingSymbol(index: WorkspaceIndex, config: Config, request: AddSymbolRequest): AddSymbolResult | { error: string } {
  const invalid = validatePythonName(index, config, request.pythonName);
  if (invalid) return { error: invalid };
  const source = index.get(request.rustFile);
  if (!source || source.language !== 'rust') return { error: `${request.rustFile} is not a Rust file of the workspace` };
  if (source.readonlyReason) return { error: `${request.rustFile}: ${source.readonlyReason}` };
  const choices = addSymbolChoices(index, config);
  if (!choices.rustFiles.includes(request.rustFile)) return { error: `${request.rustFile} is not part of a crate with a #[pymodule]` };
  const chosen = request.variants && request.variants.length < choices.variants.length ? request.variants : null;
  if (chosen?.some((v) => !choices.variants.includes(v))) return { error: `unknown variant in ${chosen.join(', ')} (known: ${choices.variants.join(', ')})` };

  const name = request.pythonName;
  const eol = eolOf(source.text);
  const cfg = chosen ? `#[cfg(${chosen.length === 1 ? `feature = "${chosen[0]}"` : `any(${chosen.map((v) => `feature = "${v}"`).join(', ')})`})]` : '';
  let text = source.text;
  if (!/use\s+pyo3::prelude::\*/.test(text)) text = `use pyo3::prelude::*;${eol}` + text;
  const trimmed = text.replace(/\s*$/, '');
  const item = rustItem(request.kind, name, cfg, eol);
  text = `${trimmed}${trimmed ? eol + eol : ''}${item}${eol}`;
  const declaration = { file: request.rustFile, offset: trimmed.length + (trimmed ? eol.length * 2 : 0) + item.indexOf(request.kind === 'constant' ? `const ${name}` : ` ${name}`) + (request.kind === 'constant' ? 6 : 1) };

  const fork = index.fork();
  fork.set(makeSourceFile(request.rustFile, text, source.version)!);
  if (request.kind === 'constant') {
    registerConstant(fork, config, request, name, chosen);
  }
  fixAll(fork, config, (f) => f.symbol === request.pythonName && LINK_RULES.has(f.rule) && (f.rule !== 'missing-registration' || !chosen || (f.variant !== null && chosen.includes(f.variant))));
  const changes = new Map<string, { before: string; after: string }>();
  for (const path of fork.paths()) {
    // Files the fork did not replace are unchanged (and may not hold their text: see `SourceFile.release`).
    if (fork.get(path) === index.get(path)) continue;
    const before = index.get(path)?.text;
    const after = fork.get(path)!.text;
    if (before !== after) changes.set(path, { before: before ?? '', after });
  }
  const finalText = fork.get(request.rustFile)!.text;
  const shift = finalText.length - text.length;
  // Edits above the declaration (a `use` line) move it down.
  const at = finalText.indexOf(item.split(eol).find((l) => l.includes(name))!, Math.max(0, declaration.offset + Math.min(0, shift) - item.length));
  if (at >= 0) declaration.offset = at + item.split(eol).find((l) => l.includes(name))!.indexOf(name);
  return { changes, declaration };
}

/** A constant has no Rust item to register from: add `m.add("NAME", path::NAME)?;` to each chosen module directly. */
function registerConstant(fork: WorkspaceIndex, config: Config, request: AddSymbolRequest, name: string, chosen: string[] | null): void {
  const result = runChecks(fork, config);
  const chain = result.chains[0];
  if (!chain) return;
  const modPath = chain.project.files.get(request.rustFile)?.modPath ?? [];
  const valuePath = ['crate', ...modPath, name].join('::');
  const edits = [];
  for (const variant of chain.variants) {
    if (chosen && (variant.name === null || !chosen.includes(variant.name))) continue;
    const body = variant.bodies.find((b) => !b.helper);
    if (!body) continue;
    const eol = eolOf(fork.get(body.file)!.text);
    const { offset, indent } = body.body.insert;
    edits.push({ file: body.file, start: offset, end: offset, newText: `${indent}${body.body.moduleParam}.add("${name}", ${valuePath})?;${eol}` });
  }
  for (const [file, fileEdits] of editsByFile(edits)) {
    const current = fork.get(file)!;
    fork.set(makeSourceFile(file, applyEdits(current.text, fileEdits).text, current.version)!);
  }
}
