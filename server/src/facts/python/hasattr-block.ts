const ID = '[\\p{L}_][\\p{L}\\p{N}_]*';
const SP = '[ \\t]*';
const EOL = `${SP}(?:#[^\\r\\n]*)?(?:\\r\\n|\\r|\\n)`;
/** `if hasattr(V, "X"):` EOL, blank or comment lines, indentation (groups: V, quote, X). */
const HASATTR_HEAD = new RegExp(`if[ \\t]+hasattr${SP}\\(${SP}(${ID})${SP},${SP}(["'])(${ID})\\2${SP}\\)${SP}:${EOL}(?:${EOL})*[ \\t]+`, 'uy');
/** `X = V.X` with an optional trailing comment (groups: X, V, X). */
const REEXPORT_LINE = new RegExp(`(${ID})${SP}=${SP}(${ID})${SP}\\.${SP}(${ID})${SP}(?:#[^\\r\\n]*)?`, 'uy');

/** A plain `if hasattr(V, "X"):\n    X = V.X` block, read from the text alone. */
export interface PlainHasattrBlock {
  /** Offset of `if`. */
  start: number;
  /** End of the `X = V.X` line (its trailing comment included, line break excluded). */
  end: number;
  /** V */
  source: string;
  /** X */
  name: string;
  /** Offset of `hasattr`. */
  hasattrStart: number;
  /** The string literal `"X"`, quotes included. */
  nameSpan: { start: number; end: number };
  /** The assignment target `X`. */
  targetStart: number;
  /** The attribute `V.X` on the right-hand side. */
  attribute: { start: number; end: number };
}

function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}

/** The plain hasattr block starting at `start` (at `if`), or null. */
export function plainHasattrBlockAt(text: string, start: number): PlainHasattrBlock | null {
  if (!text.startsWith('if', start)) return null;
  HASATTR_HEAD.lastIndex = start;
  const head = HASATTR_HEAD.exec(text);
  if (!head) return null;
  const [, source, quote, name] = head;
  const targetStart = HASATTR_HEAD.lastIndex;
  REEXPORT_LINE.lastIndex = targetStart;
  const line = REEXPORT_LINE.exec(text);
  if (!line || line[1] !== name || line[2] !== source || line[3] !== name) return null;
  const end = REEXPORT_LINE.lastIndex;
  const nameStart = text.indexOf(`${quote}${name}${quote}`, start);
  const attributeStart = skipSpaces(text, skipSpaces(text, targetStart + name.length) + 1);
  const dot = skipSpaces(text, attributeStart + source.length);
  const attributeEnd = skipSpaces(text, dot + 1) + name.length;
  return {
    start, end, source, name,
    hasattrStart: skipSpaces(text, start + 2),
    nameSpan: { start: nameStart, end: nameStart + name.length + 2 },
    targetStart,
    attribute: { start: attributeStart, end: attributeEnd },
  };
}
