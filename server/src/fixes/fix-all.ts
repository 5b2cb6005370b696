import { chainOf, runChecks } from '../engine';
import { makeSourceFile } from '../index/source';
import type { WorkspaceIndex } from '../index/workspace-index';
import type { Config } from '../layout/config';
import type { Finding } from '../rules/types';
import { applyEdits, editsByFile } from './apply';
import { materialize } from './materialize';
import type { TextEdit } from './types';

/** The edits of every finding's preferred fix (summary findings left out: their links have their own). */
export function preferredEdits(findings: Finding[], result: ReturnType<typeof runChecks>, index: WorkspaceIndex, only?: (f: Finding) => boolean): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const f of findings) {
    if (f.rule === 'incomplete-binding' || !f.fixes.length || (only && !only(f))) continue;
    const chain = chainOf(result, f);
    if (!chain) continue;
    const fix = materialize(f.fixes[0], chain, index);
    if (fix) edits.push(...fix.edits);
  }
  return edits;
}

/**
 * Applies preferred fixes until none is left (or 10 rounds), updating the
 * index as it goes; `only` limits which findings are fixed. A finding whose
 * fix was applied and that is still there is not fixed again (its fix does
 * not help; applying it twice would only write the same line twice).
 * Returns the new text of every changed file.
 */
export function fixAll(index: WorkspaceIndex, config: Config, only?: (f: Finding) => boolean): { changed: Map<string, string>; rounds: number } {
  const changed = new Map<string, string>();
  const tried = new Set<string>();
  const key = (f: Finding) => [f.rule, f.file, f.symbol, f.variant, f.message].join('\u0000');
  let rounds = 0;
  for (; rounds < 10; rounds++) {
    const result = runChecks(index, config);
    const todo = result.findings.filter((f) => !tried.has(key(f)) && (!only || only(f)));
    const edits = preferredEdits(todo, result, index);
    for (const f of todo) if (f.fixes.length) tried.add(key(f));
    if (!edits.length) break;
    let progress = false;
    for (const [file, fileEdits] of editsByFile(edits)) {
      const source = index.get(file);
      if (!source) continue;
      const { text } = applyEdits(source.text, fileEdits);
      if (text === source.text) continue;
      progress = true;
      changed.set(file, text);
      index.set(makeSourceFile(file, text, source.version)!);
    }
    if (!progress) break;
  }
  return { changed, rounds };
}
