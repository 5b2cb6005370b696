import { LineIndex } from '../parsing/text';

export function eolOf(text: string): string {
  return new LineIndex(text).eol;
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset just past the line break that ends the line holding `offset` (or the end of text). */
export function nextLineStart(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

export function indentOfLine(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, start + 200))![0];
}

export function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

/** True when `offset` lies inside an `{% if %}` ... `{% endif %}` region of a template (counted from `from`). */
export function insideTemplateConditional(text: string, from: number, offset: number): boolean {
  const slice = text.slice(from, offset);
  const opens = slice.match(/\{%-?\s*if\b/g)?.length ?? 0;
  const closes = slice.match(/\{%-?\s*endif\b/g)?.length ?? 0;
  return opens > closes;
}

export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase().replace(/^_+/, '');
}
