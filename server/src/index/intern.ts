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
 * Replaces, in place, every string held by `value` (in plain objects, arrays
 * and Map values; Map keys stay) with the first equal string `table` holds,
 * adding the new ones to it. Returns `value`.
 */
export function internStrings<T>(value: T, table: Map<string, string>): T {
  walk(value, table, 0);
  return value;
}

function intern(s: string, table: Map<string, string>): string {
  const seen = table.get(s);
  if (seen !== undefined) return seen;
  table.set(s, s);
  return s;
}

function walk(value: unknown, table: Map<string, string>, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = intern(item, table);
      else if (typeof item === 'object' && item !== null) walk(item, table, depth + 1);
    }
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      if (typeof item === 'string') value.set(key, intern(item, table));
      else walk(item, table, depth + 1);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') record[key] = intern(item, table);
    else if (typeof item === 'object' && item !== null) walk(item, table, depth + 1);
  }
}
