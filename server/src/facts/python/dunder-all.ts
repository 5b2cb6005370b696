import { Node } from 'web-tree-sitter';
import { DunderAll, Span, StringEntry } from '../types';
import { readList } from './lists';
import { spanOf, stringLiteralAt, stringValue } from './text';

/** Collects `__all__` from its assignment and from `+=`, `.extend(...)`, `.append(...)`. */
export class DunderAllBuilder {
  private result: DunderAll | null = null;
  private hasMain = false;

  build(): DunderAll | null {
    return this.result;
  }

  private ensure(statement: Node): DunderAll {
    if (!this.result) {
      this.result = { span: spanOf(statement), literal: null, entries: [], literalEntries: [], dynamic: false };
    }
    return this.result;
  }

  /** `__all__ = value` (the first one is the main assignment). */
  assign(text: string, statement: Node, value: Node): void {
    const isMain = !this.hasMain;
    this.hasMain = true;
    const all = this.ensure(statement);
    if (isMain) all.span = spanOf(statement);
    for (const operand of plusOperands(value)) {
      const literal = literalKind(operand);
      if (!literal) {
        all.dynamic = true;
        continue;
      }
      const entries = this.strings(text, operand, all);
      all.entries.push(...entries);
      if (isMain && !all.literal) {
        all.literal = { span: spanOf(operand), kind: literal };
        all.literalEntries = entries;
      }
    }
  }

  /** `__all__ += value` / `__all__.extend(value)`. */
  extend(text: string, statement: Node, value: Node): void {
    const all = this.ensure(statement);
    for (const operand of plusOperands(value)) {
      if (literalKind(operand)) all.entries.push(...this.strings(text, operand, all));
      else all.dynamic = true;
    }
  }

  /** `__all__.append(value)`. */
  append(text: string, statement: Node, value: Node): void {
    const all = this.ensure(statement);
    const entry = stringEntry(text, value);
    if (entry) all.entries.push(entry);
    else all.dynamic = true;
  }

  private strings(text: string, literal: Node, all: DunderAll): StringEntry[] {
    return stringsFromText(text, literal) ?? this.stringsFromTree(text, literal, all);
  }

  private stringsFromTree(text: string, literal: Node, all: DunderAll): StringEntry[] {
    const entries: StringEntry[] = [];
    for (const item of literal.namedChildren) {
      if (!item || item.type === 'comment') continue;
      const entry = stringEntry(text, item);
      if (entry) entries.push(entry);
      else all.dynamic = true;
    }
    return entries;
  }
}

/** Entries of a bracketed literal made only of plain strings, read from the text; null otherwise. */
function stringsFromText(text: string, literal: Node): StringEntry[] | null {
  const open = text.charCodeAt(literal.startIndex);
  const end = literal.endIndex - 1;
  const close = text.charCodeAt(end);
  if (!((open === 91 && close === 93) || (open === 40 && close === 41))) return null;
  return readList(text, literal.startIndex + 1, end, (pos) => {
    const string = stringLiteralAt(text, pos);
    return string ? { value: { value: string.value, span: { start: pos, end: string.end } }, end: string.end } : null;
  });
}

function stringEntry(text: string, node: Node): StringEntry | null {
  const value = stringValue(text, node);
  return value === null ? null : { value, span: spanOf(node) as Span };
}

function literalKind(node: Node): 'list' | 'tuple' | null {
  if (node.type === 'list') return 'list';
  if (node.type === 'tuple' || node.type === 'expression_list') return 'tuple';
  return null;
}

/** `a + b + c` -> [a, b, c]; anything else -> [node]. */
function plusOperands(node: Node): Node[] {
  if (node.type === 'parenthesized_expression') {
    const inner = node.firstNamedChild;
    if (inner && inner.type === 'binary_operator') return plusOperands(inner);
  }
  if (node.type !== 'binary_operator' || node.childForFieldName('operator')?.type !== '+') return [node];
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  return [...(left ? plusOperands(left) : []), ...(right ? plusOperands(right) : [])];
}
