/**
 * A pre-pass over a Rust file, before it is parsed: finds the contents of the
 * bodies that the Rust facts never read, which the parse then skips (tree-sitter
 * is given the rest of the text as its included ranges, so every offset, line
 * and column stays what it was). Tree-sitter then has far less to parse: in a
 * typical bindings file most of the text is method bodies in `#[pymethods] impl`
 * blocks and the bodies of `#[pyfunction]`s.
 *
 * Skipped, at item level only (the file, and inline `mod` blocks — declarative
 * `#[pymodule] mod`s included):
 * - `impl` block bodies (methods are never read);
 * - `fn` bodies, unless the fn's header (its attributes, doc comments and
 *   signature) mentions `PyModule` or `pymodule`: #[pymodule] and
 *   #[pymodule_init] fns and registration helpers keep theirs;
 * - `struct` bodies (fields are never read);
 * - `//` and `///` comments that fill their lines, line break included, but
 *   for the `//!` inner docs and comments that mention `bindings-checklist`
 *   (the facts read neither from the tree, but a comment is no token either).
 * Everything else is kept as it is: attributes, `use`, `mod`, enum bodies,
 * macro invocations (`create_exception!`), consts, traits, and whatever is
 * nested in a kept body. The first line of a body (up to its first line break
 * outside comments and literals) is kept too, so a trailing comment on the
 * item's first line still counts. A body that is not closed (a half-typed
 * file) is kept.
 *
 * What is lost: syntax errors inside a skipped body are not seen by the parser.
 */
import { identEnd, isIdentChar, literalEnd, prefixedLiteralEnd, stringEndAt } from './rust-lexer';

const ITEMS = 0;
const OTHER = 1;
const SKIP = 2;

/** Words before an item's keyword: visibility and qualifiers. */
const QUALIFIERS = new Set(['pub', 'const', 'async', 'unsafe', 'extern', 'default', 'safe']);

interface Frame {
  kind: typeof ITEMS | typeof OTHER | typeof SKIP;
  /** The brace closes an item's body (reset the parent's item header afterwards). */
  endsItem: boolean;
  // Item level only: the header of the item being read.
  headerStart: number;
  /** The item's keyword (first word after the qualifiers): fn, impl, mod, struct, ... */
  keyword: string | null;
  /** Parentheses and brackets open in the header. */
  depth: number;
  /** Angle brackets open in a fn or impl header (generics). */
  angle: number;
  // Skipped frames only: where skipping starts (first line break inside), -1 before it is seen.
  skipFrom: number;
}

/** Characters that matter inside a body (any frame but item level). */
const IN_BODY = new Uint8Array(128);
for (const c of '{}/"\'\n') IN_BODY[c.charCodeAt(0)] = 1;

function frame(kind: Frame['kind'], endsItem: boolean, headerStart: number): Frame {
  return { kind, endsItem, headerStart, keyword: null, depth: 0, angle: 0, skipFrom: -1 };
}

/** The last text `unreadRanges` scanned and its answer: the checker and the parse ask for the same text in turn. */
let last: { text: string; ranges: readonly (readonly [number, number])[] } | undefined;

/** [start, end) ranges the parse skips, in order, never overlapping. */
export function unreadRanges(text: string): readonly (readonly [number, number])[] {
  if (last?.text === text) return last.ranges;
  const ranges = scanUnreadRanges(text);
  last = { text, ranges };
  return ranges;
}

function scanUnreadRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const n = text.length;
  const stack: Frame[] = [frame(ITEMS, false, 0)];
  let top = stack[0];
  let skipping: Frame | null = null;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (top.kind !== ITEMS) {
      // Inside a body only braces, line breaks and literals matter.
      while (c >= 128 || IN_BODY[c] === 0) {
        if (++i >= n) break;
        c = text.charCodeAt(i);
      }
      if (i >= n) break;
      if (c === 0x22) {
        i = stringEndAt(text, i);
        continue;
      }
    } else if (c === 0x20) {
      i++;
      continue;
    }
    if (isIdentChar(c)) {
      const end = identEnd(text, i);
      const literal = prefixedLiteralEnd(text, i, end);
      if (literal >= 0) {
        i = literal;
        continue;
      }
      if (top.kind === ITEMS && top.keyword === null && top.depth === 0) {
        const word = text.slice(i, end);
        if (!QUALIFIERS.has(word)) top.keyword = word;
      }
      i = end;
      continue;
    }
    switch (c) {
      case 0x2f: // /
      case 0x22: // "
      case 0x27: { // '
        const end = literalEnd(text, i);
        if (c === 0x2f && top.kind === ITEMS && end >= 0) {
          const line = skippedCommentLine(text, i, end);
          if (line) ranges.push(line);
        }
        i = end >= 0 ? end : i + 1;
        continue;
      }
      case 0x0a: // \n
        if (skipping && skipping.skipFrom < 0) skipping.skipFrom = i;
        break;
      case 0x28: // (
      case 0x5b: // [
        if (top.kind === ITEMS) top.depth++;
        break;
      case 0x29: // )
      case 0x5d: // ]
        if (top.kind === ITEMS && top.depth > 0) top.depth--;
        break;
      case 0x3c: // <
        if (top.kind === ITEMS && top.depth === 0 && (top.keyword === 'fn' || top.keyword === 'impl')) top.angle++;
        break;
      case 0x3e: { // >
        const before = text.charCodeAt(i - 1);
        if (top.kind === ITEMS && top.depth === 0 && top.angle > 0 && before !== 0x2d && before !== 0x3d) top.angle--;
        break;
      }
      case 0x3b: // ;
        if (top.kind === ITEMS && top.depth === 0) resetHeader(top, i + 1);
        break;
      case 0x7b: { // {
        let next: Frame;
        if (top.kind === ITEMS && top.depth === 0 && top.angle === 0) {
          next = frame(bodyKind(text, top, i), true, i + 1);
          if (next.kind === SKIP) skipping = next;
        } else {
          next = frame(OTHER, false, i + 1);
        }
        stack.push(next);
        top = next;
        break;
      }
      case 0x7d: { // }
        if (stack.length === 1) break;
        const closed = stack.pop()!;
        top = stack[stack.length - 1];
        if (closed.kind === SKIP) {
          if (closed.skipFrom >= 0) ranges.push([closed.skipFrom, i]);
          skipping = null;
        }
        if (closed.endsItem) resetHeader(top, i + 1);
        break;
      }
    }
    i++;
  }
  return ranges;
}

/** The whole line of the `//` comment [start, end) (line break included), when it fills its line and may be skipped. */
function skippedCommentLine(text: string, start: number, end: number): [number, number] | null {
  if (text.charCodeAt(start + 1) !== 0x2f || text.charCodeAt(start + 2) === 0x21 /* //! */) return null;
  let lineStart = start;
  for (let c = text.charCodeAt(lineStart - 1); c === 0x20 || c === 0x09; c = text.charCodeAt(lineStart - 1)) lineStart--;
  if (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 0x0a) return null;
  const comment = text.slice(start, end);
  if (comment.includes('bindings-checklist')) return null;
  return [lineStart, end < text.length ? end + 1 : end];
}

function resetHeader(f: Frame, start: number): void {
  f.headerStart = start;
  f.keyword = null;
  f.depth = 0;
  f.angle = 0;
}

/** What the body opened at `brace` by the item whose header is in `items` is. */
function bodyKind(text: string, items: Frame, brace: number): Frame['kind'] {
  switch (items.keyword) {
    case 'impl':
    case 'struct':
      return SKIP;
    case 'fn': {
      const header = text.slice(items.headerStart, brace);
      return header.includes('PyModule') || header.includes('pymodule') ? OTHER : SKIP;
    }
    case 'mod':
      return ITEMS;
    default:
      return OTHER;
  }
}
