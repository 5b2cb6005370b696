/**
 * Jinja/Tera template projection. A template is checked once per variant
 * through a projection of the same length as the original text, so that every
 * offset found in the projection is an offset in the template itself:
 *
 * - `{{ expr }}` becomes underscores (an identifier, valid in Python, Rust and
 *   TOML strings alike), line breaks kept;
 * - `{% tag %}` and `{# comment #}` become spaces;
 * - the content of inactive `{% if %}` / `{% elif %}` / `{% else %}` branches
 *   becomes spaces (line breaks kept, so line numbers stay true).
 *
 * Values that contain placeholders are read back with `render(span)`, which
 * substitutes the variant's variables into the original text of that span.
 */
import type { Span } from '../facts/types';

export type TemplateVars = Record<string, string>;

const TEMPLATE_EXTENSIONS = ['.j2', '.jinja', '.jinja2', '.tera', '.tmpl'];

/** The path without its template extension: `backend_cargo.toml.j2` -> `backend_cargo.toml`. */
export function stripTemplateExtension(filePath: string): string {
  const lower = filePath.toLowerCase();
  const ext = TEMPLATE_EXTENSIONS.find((e) => lower.endsWith(e));
  return ext ? filePath.slice(0, -ext.length) : filePath;
}

/** A file is a template when its name has a template extension or its path holds a `{{placeholder}}`. */
export function isTemplatePath(filePath: string): boolean {
  return stripTemplateExtension(filePath) !== filePath || /\{\{[^}]*\}\}/.test(filePath);
}

/** Variable names used in `{{ ... }}` placeholders of a path or text. */
export function placeholderNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\{\{-?\s*([A-Za-z_][\w]*)/g)) names.add(m[1]);
  return [...names];
}

/** Renders a whole string (such as a template path) for one variant. */
export function renderString(text: string, vars: TemplateVars): string {
  return projectTemplate(text, vars).render({ start: 0, end: text.length });
}

interface Token {
  kind: 'expr' | 'tag' | 'comment';
  start: number;
  end: number;
  /** Inner text without delimiters and whitespace-control dashes. */
  body: string;
}

export interface Projection {
  /** Same length as the original text. */
  readonly text: string;
  readonly original: string;
  /** The original text of `span` rendered for this variant (placeholders substituted, tags and inactive branches removed). */
  render(span: Span): string;
  /** True when `span` overlaps a placeholder, a tag or an inactive branch. */
  touchesTemplate(span: Span): boolean;
  /** True when `offset` lies in a region that is active for this variant (not blanked). */
  isActive(offset: number): boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\{\{|\{%|\{#/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const open = m[0];
    const close = open === '{{' ? '}}' : open === '{%' ? '%}' : '#}';
    const endIdx = text.indexOf(close, m.index + 2);
    if (endIdx < 0) break; // an unterminated tag is left as text
    const end = endIdx + 2;
    const body = text.slice(m.index + 2, endIdx).replace(/^-|-$/g, '').trim();
    tokens.push({ kind: open === '{{' ? 'expr' : open === '{%' ? 'tag' : 'comment', start: m.index, end, body });
    re.lastIndex = end;
  }
  return tokens;
}

/** Replaces every character but line breaks with `fill`. */
function blank(text: string, fill: string): string {
  return text.replace(/[^\r\n]/g, fill);
}

export function projectTemplate(original: string, vars: TemplateVars): Projection {
  const tokens = tokenize(original);
  // Inactive ranges come from if/elif/else/endif nesting.
  const inactive: Span[] = [];
  const stack: { active: boolean; taken: boolean; parentActive: boolean; from: number }[] = [];
  let active = true;
  const closeBranch = (at: number) => {
    const top = stack[stack.length - 1];
    if (top && top.parentActive && !top.active) inactive.push({ start: top.from, end: at });
  };
  for (const token of tokens) {
    if (token.kind !== 'tag') continue;
    const [keyword] = token.body.split(/\s+/, 1);
    const rest = token.body.slice(keyword.length).trim();
    if (keyword === 'if') {
      const cond: boolean = active && evaluate(rest, vars);
      stack.push({ active: cond, taken: cond, parentActive: active, from: token.end });
      active = cond;
    } else if ((keyword === 'elif' || keyword === 'elseif' || keyword === 'else') && stack.length) {
      const top = stack[stack.length - 1];
      closeBranch(token.start);
      const cond: boolean = top.parentActive && !top.taken && (keyword === 'else' || evaluate(rest, vars));
      top.active = cond;
      top.taken ||= cond;
      top.from = token.end;
      active = cond;
    } else if (keyword === 'endif' && stack.length) {
      closeBranch(token.start);
      const top = stack.pop()!;
      active = top.parentActive;
    }
  }
  if (stack.length) {
    closeBranch(original.length);
  }

  const parts: string[] = [];
  let pos = 0;
  const sortedInactive = inactive.sort((a, b) => a.start - b.start);
  const pieces: { start: number; end: number; kind: 'expr' | 'blank' }[] = [];
  for (const range of sortedInactive) pieces.push({ ...range, kind: 'blank' });
  for (const token of tokens) {
    if (sortedInactive.some((r) => token.start >= r.start && token.end <= r.end)) continue;
    pieces.push({ start: token.start, end: token.end, kind: token.kind === 'expr' ? 'expr' : 'blank' });
  }
  pieces.sort((a, b) => a.start - b.start);
  for (const piece of pieces) {
    if (piece.start < pos) continue;
    parts.push(original.slice(pos, piece.start));
    parts.push(blank(original.slice(piece.start, piece.end), piece.kind === 'expr' ? '_' : ' '));
    pos = piece.end;
  }
  parts.push(original.slice(pos));
  const text = parts.join('');

  const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
  return {
    text,
    original,
    render(span: Span): string {
      let out = '';
      let at = span.start;
      for (const piece of pieces) {
        if (piece.end <= span.start || piece.start >= span.end) continue;
        out += original.slice(at, Math.max(at, piece.start));
        if (piece.kind === 'expr') {
          const token = tokens.find((t) => t.start === piece.start)!;
          out += evaluateExpression(token.body, vars);
        }
        at = Math.max(at, piece.end);
      }
      return out + original.slice(at, span.end);
    },
    touchesTemplate(span: Span): boolean {
      return pieces.some((p) => overlaps(p, span));
    },
    isActive(offset: number): boolean {
      return !sortedInactive.some((r) => offset >= r.start && offset < r.end);
    },
  };
}

// ------------------------------------------------------------ expressions

/** Evaluates `{{ expr }}`: a variable, a string literal, optionally `| filter`s. */
function evaluateExpression(body: string, vars: TemplateVars): string {
  const [head, ...filters] = body.split('|').map((s) => s.trim());
  let value = literalOrVar(head, vars) ?? '';
  for (const filter of filters) {
    const name = filter.replace(/\(.*$/, '').trim();
    if (name === 'upper') value = value.toUpperCase();
    else if (name === 'lower') value = value.toLowerCase();
    else if (name === 'capitalize' || name === 'title') value = value.charAt(0).toUpperCase() + value.slice(1);
    else if (name === 'replace') {
      const args = [...filter.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]);
      if (args.length === 2) value = value.split(args[0]).join(args[1]);
    }
  }
  return value;
}

function literalOrVar(text: string, vars: TemplateVars): string | undefined {
  const quoted = /^(["'])(.*)\1$/.exec(text);
  if (quoted) return quoted[2];
  return Object.prototype.hasOwnProperty.call(vars, text) ? vars[text] : undefined;
}

/**
 * Evaluates an `{% if %}` condition: comparisons with == / != / in / not in,
 * `and`, `or`, `not`, parentheses, true/false, bare variables (truthy when
 * set and non-empty). A condition it cannot read counts as true, so its
 * content stays checked.
 */
export function evaluate(condition: string, vars: TemplateVars): boolean {
  try {
    const tokens = condition.match(/"[^"]*"|'[^']*'|==|!=|\(|\)|\[|\]|,|[A-Za-z_][\w.]*|\S/g) ?? [];
    let i = 0;
    const peek = () => tokens[i];
    const next = () => tokens[i++];
    const parseOr = (): boolean => {
      let v = parseAnd();
      while (peek() === 'or') { next(); const r = parseAnd(); v = v || r; }
      return v;
    };
    const parseAnd = (): boolean => {
      let v = parseNot();
      while (peek() === 'and') { next(); const r = parseNot(); v = v && r; }
      return v;
    };
    const parseNot = (): boolean => {
      if (peek() === 'not') { next(); return !parseNot(); }
      return parseComparison();
    };
    const parseValue = (): string | string[] | undefined => {
      const t = next();
      if (t === undefined) throw new Error('unexpected end');
      if (t === '[' || t === '(') {
        const close = t === '[' ? ']' : ')';
        const items: string[] = [];
        while (peek() !== close) {
          const v = parseValue();
          if (typeof v === 'string') items.push(v);
          if (peek() === ',') next();
          if (peek() === undefined) throw new Error('unterminated list');
        }
        next();
        return items;
      }
      if (/^["']/.test(t)) return t.slice(1, -1);
      if (t === 'true' || t === 'True') return 'true';
      if (t === 'false' || t === 'False') return '';
      return literalOrVar(t, vars);
    };
    const parseComparison = (): boolean => {
      if (peek() === '(') {
        const save = i;
        next();
        try {
          const v = parseOr();
          if (next() === ')') return v;
        } catch { /* fall through to a list value */ }
        i = save;
      }
      const left = parseValue();
      const op = peek();
      if (op === '==' || op === '!=') {
        next();
        const right = parseValue();
        return (left === right) === (op === '==');
      }
      if (op === 'in' || (op === 'not' && tokens[i + 1] === 'in')) {
        next();
        if (op === 'not') next();
        const right = parseValue();
        const contained = Array.isArray(right) ? typeof left === 'string' && right.includes(left) : typeof left === 'string' && typeof right === 'string' && right.includes(left);
        return op === 'in' ? contained : !contained;
      }
      return Array.isArray(left) ? left.length > 0 : !!left;
    };
    const result = parseOr();
    if (i < tokens.length) throw new Error('trailing tokens');
    return result;
  } catch {
    return true;
  }
}
