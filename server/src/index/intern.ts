/**
 * Strings equal in value are often separate copies: every fact read from a
 * tree-sitter node, and every fact that crossed from a parse worker, is a
 * string of its own, so a name that occurs 20,000 times (`cloaca`,
 * `add_class`, a type) is held 20,000 times. Interning replaces each by one
 * copy per value.
 */

/** Nesting below which nothing is walked (facts are shallow; this only guards against a cycle). */
const MAX_DEPTH = 64;

/**
 * Below this length V8 copies a substring; from it on, `slice` and friends
 * make a view that keeps the whole string it was cut from alive.
 */
const MIN_VIEW_LENGTH = 13;

/**
 * A string equal to `s` that does not keep a larger string alive: facts read
 * on the main thread cut their names out of the text that was parsed (the
 * file's text, or a projection of it), and would keep it for as long as they live.
 */
export function ownCopy(s: string): string {
  return s.length < MIN_VIEW_LENGTH ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * Replaces, in place, every string held by `value` (in plain objects, arrays
 * and Map values; Map keys stay) with the first equal string `table` holds,
 * adding the new ones to it (as `copy` makes them, when given). Returns `value`.
 */
export function internStrings<T>(value: T, table: Map<string, string>, copy?: (s: string) => string): T {
  walk(value, (s) => {
    let seen = table.get(s);
    if (seen === undefined) table.set(s, (seen = copy ? copy(s) : s));
    return seen;
  }, 0);
  return value;
}

function walk(value: unknown, intern: (s: string) => string, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = intern(item);
      else if (typeof item === 'object' && item !== null) walk(item, intern, depth + 1);
    }
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      if (typeof item === 'string') value.set(key, intern(item));
      else walk(item, intern, depth + 1);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') record[key] = intern(item);
    else if (typeof item === 'object' && item !== null) walk(item, intern, depth + 1);
  }
}
