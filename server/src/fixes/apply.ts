import type { TextEdit } from './types';

/**
 * Applies edits to one file's text. Identical edits apply once (two fixes
 * asking for the same line agree); an edit overlapping one already taken is
 * left out (the next check proposes it again on the new text). Inserts at the
 * same offset keep their order.
 */
export function applyEdits(text: string, edits: TextEdit[]): { text: string; applied: number; skipped: number } {
  const seen = new Set<string>();
  const unique = edits.filter((e) => {
    const k = `${e.start}:${e.end}:${e.newText}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const ordered = unique.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i).map((x) => x.e);
  const out: string[] = [];
  let pos = 0;
  let applied = 0;
  let skipped = 0;
  for (const edit of ordered) {
    if (edit.start < pos || edit.end > text.length || edit.start > edit.end) {
      skipped++;
      continue;
    }
    out.push(text.slice(pos, edit.start), edit.newText);
    pos = edit.end;
    applied++;
  }
  out.push(text.slice(pos));
  return { text: out.join(''), applied, skipped };
}

/** Groups edits by file. */
export function editsByFile(edits: TextEdit[]): Map<string, TextEdit[]> {
  const map = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const list = map.get(e.file) ?? [];
    list.push(e);
    map.set(e.file, list);
  }
  return map;
}
