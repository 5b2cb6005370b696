/**
 * Rust facts: the PyO3 declarations, #[pymodule]s, registration helpers, `use`
 * and `mod` declarations of one Rust file, read in a single walk over the
 * item level (function bodies are only read for #[pymodule] fns, #[pymodule_init]
 * fns and fns taking a module parameter).
 *
 * Declarative modules (`#[pymodule] mod x { ... }`): every `exports` entry is
 * relative to the module's own scope, `PyModuleDecl.scope` + [rustName]: a
 * `#[pymodule_export] use super::Foo;` has target ['super', 'Foo'] as written,
 * and an item declared inside has target [itemName] (the item itself is listed
 * in `items` with that scope).
 */
import type { Node } from 'web-tree-sitter';
import type { Parsers, SkipRange, TreeReuse } from '../parsing/parsers';
import type {
  CfgExpr, InsertionPoint, ModDecl, ParseProblem, PyModuleDecl, RegistrationHelper, RustFacts, RustItem, Span, UseDecl,
} from './types';
import { Attr, cfgsOf, hasAttr, pythonNameFrom, readAttrs } from './rust/attributes';
import { NO_NODES } from './node-list';
import { moduleParamOf, readModuleBody } from './rust/body';
import { flattenUse } from './rust/uses';
import { braceInsert, isComment, kids, lineStart, nextLineStart, pathOf, spanOf, stringValue, textOf } from './rust/util';

const MAX_PROBLEMS = 20;
const INTERNAL_MARK = /\/\/.*bindings-checklist:\s*internal/;
/** Item kinds the walker reads (others are skipped without reading their attributes). */
const ITEM_TYPES = new Set([
  'struct_item', 'enum_item', 'function_item', 'mod_item', 'use_declaration', 'const_item', 'expression_statement', 'macro_invocation', 'ERROR',
]);

/** The facts of a Rust file; `skip`: spans the parse leaves out (what the facts never read, `unreadRanges`). */
export function extractRustFacts(parsers: Parsers, text: string, reuse?: TreeReuse, skip?: readonly SkipRange[]): RustFacts {
  const tree = parsers.parse('rust', text, reuse?.previous, skip);
  try {
    const root = tree.rootNode;
    const walker = new ItemWalker(text);
    walker.items(kids(root), { scope: [], cfg: [], top: true });
    return {
      language: 'rust',
      items: walker.itemList,
      modules: walker.modules,
      helpers: walker.helpers,
      uses: walker.uses,
      mods: walker.mods,
      useInsert: useInsert(text, root, walker.lastTopUseEnd),
      problems: problemsOf(text, root),
    };
  } finally {
    if (reuse) reuse.keep(tree);
    else tree.delete();
  }
}

interface Context {
  scope: string[];
  /** cfgs of the enclosing inline mods. */
  cfg: CfgExpr[];
  top: boolean;
  /** The declarative #[pymodule] mod whose body this is. */
  decl?: PyModuleDecl;
}

/** What every item handler receives. */
interface ItemInfo {
  node: Node;
  type: string;
  attrs: readonly Attr[];
  /** Own cfgs plus those of enclosing mods. */
  cfg: CfgExpr[];
  /** The item including its attributes. */
  span: Span;
  ctx: Context;
}

class ItemWalker {
  readonly itemList: RustItem[] = [];
  readonly modules: PyModuleDecl[] = [];
  readonly helpers: RegistrationHelper[] = [];
  readonly uses: UseDecl[] = [];
  readonly mods: ModDecl[] = [];
  lastTopUseEnd: number | undefined;
  /** Whether the text holds the internal mark at all (most files do not: no item is looked at for it). */
  private readonly marked: boolean;

  constructor(private readonly text: string) {
    this.marked = text.includes('bindings-checklist');
  }

  items(nodes: readonly Node[], ctx: Context): void {
    let attrs: Node[] = [];
    for (const node of nodes) {
      // One type lookup per node: every Node getter is a call into WASM.
      const type = node.type;
      if (type === 'attribute_item') attrs.push(node);
      else if (type === 'inner_attribute_item') attrs = [];
      else if (type !== 'line_comment' && type !== 'block_comment') {
        if (ITEM_TYPES.has(type)) this.item(node, type, attrs.length ? attrs : NO_NODES, ctx);
        attrs = [];
      }
    }
  }

  private item(node: Node, type: string, attrNodes: readonly Node[], ctx: Context): void {
    const attrs = readAttrs(this.text, attrNodes);
    const own = cfgsOf(attrs);
    const info: ItemInfo = {
      node,
      type,
      attrs,
      cfg: own.length ? [...ctx.cfg, ...own] : ctx.cfg,
      span: { start: attrNodes[0]?.startIndex ?? node.startIndex, end: node.endIndex },
      ctx,
    };
    switch (type) {
      case 'struct_item':
      case 'enum_item':
        return this.typeItem(info);
      case 'function_item':
        return this.functionItem(info);
      case 'mod_item':
        return this.modItem(info);
      case 'use_declaration':
        return this.useItem(info);
      case 'const_item':
        return this.constItem(info);
      case 'expression_statement':
      case 'macro_invocation':
        return this.macroItem(info);
      case 'ERROR':
        return this.items(kids(node), ctx);
    }
  }

  private typeItem(info: ItemInfo): void {
    const { node, attrs } = info;
    const pyclass = hasAttr(attrs, 'pyclass');
    if (!pyclass && !hasAttr(attrs, 'pyenum')) return;
    const name = node.childForFieldName('name');
    if (!name) return;
    const isEnum = info.type === 'enum_item';
    const item = this.addItem(info, isEnum ? 'enum' : 'class', name, pyclass ? 'pyclass' : 'pyenum');
    if (isEnum) item.variants = this.variantsOf(node);
    this.autoExport(info, item.rustName);
  }

  private variantsOf(node: Node): string[] {
    const body = node.childForFieldName('body');
    if (!body) return [];
    const names: string[] = [];
    for (const variant of kids(body)) {
      const name = variant.type === 'enum_variant' ? variant.childForFieldName('name') : null;
      if (name) names.push(textOf(this.text, name));
    }
    return names;
  }

  private functionItem(info: ItemInfo): void {
    const { node, attrs, ctx } = info;
    const name = node.childForFieldName('name');
    if (!name) return;
    if (hasAttr(attrs, 'pymodule')) return this.moduleFunction(info, name);
    const list = node.childForFieldName('parameters');
    const param = moduleParamOf(this.text, node, list);
    if (param && ctx.decl && hasAttr(attrs, 'pymodule_init')) {
      ctx.decl.body = readModuleBody(this.text, node, param);
      return;
    }
    if (hasAttr(attrs, 'pyfunction')) {
      const item = this.addItem(info, 'function', name, 'pyfunction');
      this.signature(node, list, item);
      this.autoExport(info, item.rustName);
    }
    if (param) this.helper(info, name, param);
  }

  private moduleFunction(info: ItemInfo, name: Node): void {
    const { node, attrs, ctx } = info;
    const rustName = textOf(this.text, name);
    const param = moduleParamOf(this.text, node);
    this.modules.push({
      rustName,
      pythonName: pythonNameFrom(attrs, 'pymodule') ?? rustName,
      scope: ctx.scope,
      nameSpan: spanOf(name),
      span: info.span,
      cfg: info.cfg,
      style: 'function',
      body: param ? readModuleBody(this.text, node, param) : undefined,
      exports: [],
    });
  }

  private helper(info: ItemInfo, name: Node, param: string): void {
    const body = readModuleBody(this.text, info.node, param);
    if (!body.registrations.length && !body.helperCalls.length && !body.submodules) return;
    this.helpers.push({ rustName: textOf(this.text, name), scope: info.ctx.scope, nameSpan: spanOf(name), cfg: info.cfg, body });
  }

  /** Parameters (without `self` and `py: Python`) and return type of a #[pyfunction]. */
  private signature(node: Node, list: Node | null, item: RustItem): void {
    const params = (list && plainParameters(this.text, list.startIndex, list.endIndex)) ?? this.parameters(list);
    item.params = params.filter((param) => !/^Python\b/.test(param.type));
    const returns = node.childForFieldName('return_type');
    if (returns) item.returns = textOf(this.text, returns);
  }

  private parameters(list: Node | null): { name: string; type: string }[] {
    const params: { name: string; type: string }[] = [];
    for (const param of list ? kids(list) : []) {
      if (param.type !== 'parameter') continue;
      const pattern = param.childForFieldName('pattern');
      const type = param.childForFieldName('type');
      if (!pattern || !type) continue;
      params.push({ name: textOf(this.text, pattern).replace(/^mut\s+/, ''), type: textOf(this.text, type) });
    }
    return params;
  }

  private modItem(info: ItemInfo): void {
    const { node, attrs, ctx } = info;
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const name = textOf(this.text, nameNode);
    const body = node.childForFieldName('body');
    const mod: ModDecl = { name, scope: ctx.scope, inline: !!body, cfg: info.cfg, span: info.span };
    const pathAttr = attrs.find((attr) => attr.name === 'path');
    const pathValue = pathAttr ? stringValue(pathAttr.args) : undefined;
    if (pathValue !== undefined) mod.pathAttr = pathValue;
    this.mods.push(mod);
    if (!body) return;
    const inner: Context = { scope: [...ctx.scope, name], cfg: info.cfg, top: false };
    if (hasAttr(attrs, 'pymodule')) inner.decl = this.declarativeModule(info, nameNode, body);
    this.items(kids(body), inner);
  }

  private declarativeModule(info: ItemInfo, name: Node, body: Node): PyModuleDecl {
    const rustName = textOf(this.text, name);
    const first = kids(body).find((child) => !isComment(child));
    const decl: PyModuleDecl = {
      rustName,
      pythonName: pythonNameFrom(info.attrs, 'pymodule') ?? rustName,
      scope: info.ctx.scope,
      nameSpan: spanOf(name),
      span: info.span,
      cfg: info.cfg,
      style: 'declarative',
      exports: [],
      exportInsert: braceInsert(this.text, body, first, info.node.startIndex),
    };
    this.modules.push(decl);
    return decl;
  }

  private useItem(info: ItemInfo): void {
    const { node, attrs, ctx } = info;
    const isPub = node.firstNamedChild?.type === 'visibility_modifier';
    const exported = ctx.decl && hasAttr(attrs, 'pymodule_export');
    for (const { path, alias } of flattenUse(this.text, node)) {
      this.uses.push({ path, alias, scope: ctx.scope, isPub, cfg: info.cfg, span: info.span });
      if (exported && alias !== '*') ctx.decl!.exports.push({ form: 'export', target: path, span: info.span, cfg: cfgsOf(attrs) });
    }
    if (ctx.top) this.lastTopUseEnd = node.endIndex;
  }

  private constItem(info: ItemInfo): void {
    const { node, attrs, ctx } = info;
    const name = node.childForFieldName('name');
    if (!name || !ctx.decl || !hasAttr(attrs, 'pymodule_export')) return;
    const item = this.addItem(info, 'constant', name, 'pymodule_export');
    ctx.decl.exports.push({ form: 'export', pythonName: item.pythonName, span: info.span, cfg: cfgsOf(attrs) });
  }

  /** `create_exception!(module, Name, Base)` and `pyo3::create_exception!(...)`. */
  private macroItem(info: ItemInfo): void {
    const macro = info.type === 'macro_invocation' ? info.node : info.node.firstNamedChild;
    if (!macro || macro.type !== 'macro_invocation') return;
    const macroName = macro.childForFieldName('macro');
    if (!macroName || pathOf(textOf(this.text, macroName)).pop() !== 'create_exception') return;
    const tokens = kids(macro).find((child) => child.type === 'token_tree');
    const name = tokens ? secondArgument(tokens) : undefined;
    if (name) this.addItem(info, 'exception', name, '');
  }

  /** Items declared directly in a declarative #[pymodule] are exported with it. */
  private autoExport(info: ItemInfo, rustName: string): void {
    info.ctx.decl?.exports.push({ form: 'export', target: [rustName], span: info.span, cfg: cfgsOf(info.attrs) });
  }

  private addItem(info: ItemInfo, kind: RustItem['kind'], name: Node, attrName: string): RustItem {
    const nameSpan = spanOf(name);
    const rustName = this.text.slice(nameSpan.start, nameSpan.end);
    const item: RustItem = {
      kind,
      rustName,
      pythonName: (attrName && pythonNameFrom(info.attrs, attrName)) || rustName,
      scope: info.ctx.scope,
      nameSpan,
      span: info.span,
      cfg: info.cfg,
      internal: this.marked && isInternal(this.text, info.span.start, info.node.startIndex),
    };
    this.itemList.push(item);
    return item;
  }
}

const SELF_PARAMETER = /^&?\s*(?:'\w+\s+)?(?:mut\s+)?self$/;

/**
 * `pattern: Type` pairs of a parameter list read from its text `(...)` at
 * [start, end); self parameters left out. Undefined (read the tree) when the
 * list holds comments, attributes, strings or braces, or a part it does not know.
 */
function plainParameters(text: string, start: number, end: number): { name: string; type: string }[] | undefined {
  if (text.charCodeAt(start) !== 0x28 || text.charCodeAt(end - 1) !== 0x29) return undefined;
  const params: { name: string; type: string }[] = [];
  let depth = 0;
  let partStart = start + 1;
  let colon = -1;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 || c === 0x2f || c === 0x22 || c === 0x7b || c === 0x7d) return undefined; // # / " { }
    if (c === 0x28 || c === 0x5b || c === 0x3c) depth++; // ( [ <
    else if ((c === 0x29 && i < end - 1) || c === 0x5d || (c === 0x3e && text.charCodeAt(i - 1) !== 0x2d)) depth--; // ) ] > (not ->)
    else if (c === 0x3a && depth === 0 && colon < 0 && text.charCodeAt(i + 1) !== 0x3a && text.charCodeAt(i - 1) !== 0x3a) colon = i; // a lone :
    if ((c === 0x2c && depth === 0) || i === end - 1) { // , or the closing )
      const part = text.slice(partStart, i).trim();
      if (colon >= 0) {
        const name = text.slice(partStart, colon).trim().replace(/^mut\s+/, '');
        const type = text.slice(colon + 1, i).trim();
        if (!name || !type) return undefined;
        params.push({ name, type });
      } else if (part && !SELF_PARAMETER.test(part)) return undefined;
      partStart = i + 1;
      colon = -1;
    }
    if (depth < 0) return undefined;
  }
  return depth === 0 ? params : undefined;
}

/** The identifier after the first top-level comma of a macro's token tree. */
function secondArgument(tokens: Node): Node | undefined {
  let commas = 0;
  for (const token of tokens.children) {
    if (!token) continue;
    if (token.type === ',') commas++;
    else if (commas === 1 && token.type === 'identifier') return token;
    else if (commas > 1) return undefined;
  }
  return undefined;
}

/** `// bindings-checklist: internal` on comment lines directly above, on attribute lines, or on the item's first line. */
function isInternal(text: string, spanStart: number, itemStart: number): boolean {
  const first = lineStart(text, spanStart);
  if (INTERNAL_MARK.test(text.slice(first, nextLineStart(text, itemStart)))) return true;
  for (let pos = first; pos > 0;) {
    const previous = lineStart(text, pos - 1);
    const line = text.slice(previous, pos).trim();
    if (!line.startsWith('//')) return false;
    if (INTERNAL_MARK.test(line)) return true;
    pos = previous;
  }
  return false;
}

/** After the last top-level `use`; else after leading inner attributes and `//!` docs; else 0. */
function useInsert(text: string, root: Node, lastUseEnd: number | undefined): InsertionPoint {
  if (lastUseEnd !== undefined) return { offset: nextLineStart(text, lastUseEnd), indent: '' };
  let end = 0;
  for (const node of kids(root)) {
    const source = textOf(text, node);
    if (node.type === 'inner_attribute_item' || (isComment(node) && /^(\/\/!|\/\*!)/.test(source))) end = node.endIndex;
    else if (!isComment(node)) break;
  }
  if (end === 0) return { offset: 0, indent: '' };
  return { offset: text[end - 1] === '\n' ? end : nextLineStart(text, end), indent: '' };
}

/** ERROR and MISSING nodes, outermost first, in document order. */
function problemsOf(text: string, root: Node): ParseProblem[] {
  const problems: ParseProblem[] = [];
  if (!root.hasError) return problems;
  const visit = (node: Node): void => {
    for (const child of node.children) {
      if (!child || problems.length >= MAX_PROBLEMS) continue;
      if (child.isMissing) {
        const what = child.isNamed ? child.type.replace(/_/g, ' ') : `\`${child.type}\``;
        problems.push({ span: spanOf(child), message: `missing ${what}` });
      } else if (child.type === 'ERROR') {
        problems.push({ span: errorSpan(text, child), message: 'syntax error' });
        visit(child);
      } else if (child.hasError) {
        visit(child);
      }
    }
  };
  if (root.type === 'ERROR') problems.push({ span: errorSpan(text, root), message: 'syntax error' });
  visit(root);
  return problems;
}

/**
 * An ERROR node often wraps whole well-formed items around the broken part:
 * point at its first stray token (or nested error), up to the end of that line.
 */
function errorSpan(text: string, error: Node): Span {
  const stray = error.children.find((child) => child && (!child.isNamed || child.type === 'ERROR'));
  const start = stray ? stray.startIndex : error.startIndex;
  const newline = text.indexOf('\n', start);
  const lineEnd = newline < 0 ? text.length : newline;
  const end = Math.min(error.endIndex, Math.max(stray ? stray.endIndex : start, lineEnd));
  return { start, end: Math.max(end, Math.min(start + 1, error.endIndex)) };
}
