/**
 * Module bodies: the statements of a #[pymodule] fn, a #[pymodule_init] fn or a
 * registration helper, read for registrations, helper calls and cfg blocks.
 */
import type { Node } from 'web-tree-sitter';
import type { CfgExpr, HelperCall, InlineSubmodule, ModuleBody, Registration, RustPath, Span } from '../types';
import { cfgsOf, parseCfg, readAttrs } from './attributes';
import { braceInsert, indentAt, insertBefore, isComment, kids, pathOf, stringValue, textOf } from './util';

const REGISTER_METHODS = new Set(['add_class', 'add_function', 'add_wrapped', 'add']);
const WRAP_FUNCTION_MACROS = new Set(['wrap_pyfunction', 'wrap_pyfunction_bound']);
/** Methods on the module object that still hand the module itself on: `helper(m.clone())`. */
const PASS_THROUGH_METHODS = new Set(['clone', 'as_ref', 'as_borrowed']);
const GET_TYPE_METHODS = new Set(['get_type', 'get_type_bound']);
/** `PyModule::new(py, "name")` and its older form. */
const NEW_MODULE_FUNCTIONS = new Set(['new', 'new_bound']);
/** Calls a value is passed through on its way to a `let`: `PyModule::new(..)?`, `.unwrap()`, `.expect(..)`. */
const UNWRAP_METHODS = new Set(['unwrap', 'expect']);
const TYPE_OBJECT_FUNCTIONS = new Set(['type_object', 'type_object_bound']);

const IDENT = '[A-Za-z_]\\w*';
const PATH = `${IDENT}(?:\\s*::\\s*${IDENT})*`;
/**
 * `m.add_class::<Path>()?;` (groups: receiver, path) or
 * `m.add_function(wrap_pyfunction!(path, m)?)?;` / `add_wrapped` (groups:
 * receiver, -, method, path), `?`s optional, at a statement's start.
 */
const PLAIN_REGISTRATION = new RegExp(
  `(${IDENT})\\s*\\.\\s*(?:add_class\\s*::\\s*<\\s*(${PATH})\\s*>\\s*\\(\\s*\\)` +
  `|(add_function|add_wrapped)\\s*\\(\\s*(?:pyo3\\s*::\\s*)?wrap_pyfunction(?:_bound)?\\s*!\\s*\\(\\s*(${PATH})\\s*,[\\s\\w&.]*\\)\\s*\\??\\s*\\))` +
  `\\s*\\??\\s*;`,
  'y',
);
/** Words that may precede `(m)` without being a call. */
const NOT_CALLEES = new Set(['return', 'break', 'yield', 'become', 'box', 'await', 'in', 'match', 'if', 'while']);
/** `helper(m)?;`, `crate::a::register(&m)?;` (groups: path, argument). */
const PLAIN_HELPER_CALL = new RegExp(`(${PATH})\\s*\\(\\s*&?\\s*(${IDENT})\\s*\\)\\s*\\??\\s*;`, 'y');

/** The name of the first parameter whose type mentions `PyModule`, if any. */
export function moduleParamOf(text: string, fn: Node, params: Node | null = fn.childForFieldName('parameters')): string | undefined {
  if (!params || !text.slice(params.startIndex, params.endIndex).includes('PyModule')) return undefined;
  for (const param of kids(params)) {
    if (param.type !== 'parameter') continue;
    const type = param.childForFieldName('type');
    const pattern = param.childForFieldName('pattern');
    if (type && pattern && textOf(text, type).includes('PyModule')) return textOf(text, pattern).replace(/^mut\s+/, '');
  }
  return undefined;
}

export function readModuleBody(text: string, fn: Node, moduleParam: string): ModuleBody {
  const reader = new BodyReader(text, moduleParam);
  const body = fn.childForFieldName('body');
  if (!body) {
    return { ...reader.out, insert: { offset: fn.endIndex, indent: indentAt(text, fn.startIndex) + '    ' } };
  }
  reader.block(body, []);
  return { ...reader.out, insert: bodyInsert(text, body, fn) };
}

/** Before the final `Ok(())` of the body, else before its closing brace. */
function bodyInsert(text: string, body: Node, fn: Node): ModuleBody['insert'] {
  const statements = kids(body).filter((node) => !isComment(node));
  const point = braceInsert(text, body, statements[0], fn.startIndex);
  const last = statements[statements.length - 1];
  if (last && last.type === 'call_expression' && /^Ok\s*\(/.test(textOf(text, last))) {
    point.offset = insertBefore(text, last.startIndex);
  }
  return point;
}

/** Where a registration or a helper call goes: the body's own module, or a module the body made. */
interface Sink {
  registrations: Registration[];
  helperCalls: HelperCall[];
}

class BodyReader {
  readonly out: Omit<ModuleBody, 'insert'>;
  /** Modules the body made, by variable. */
  private readonly made = new Map<string, InlineSubmodule>();

  constructor(private readonly text: string, private readonly param: string) {
    this.out = { moduleParam: param, registrations: [], helperCalls: [], cfgBlocks: [] };
  }

  /** What registrations on the variable `name` register into: the body's module, a module it made, or nothing. */
  private sinkOf(name: string): Sink | undefined {
    return name === this.param ? this.out : this.made.get(name);
  }

  block(block: Node, cfg: CfgExpr[]): void {
    const nodes = kids(block);
    let attrs: Node[] = [];
    let blockEnd = -1;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const type = node.type;
      if (type === 'attribute_item') attrs.push(node);
      else if (type !== 'line_comment' && type !== 'block_comment') {
        const own = attrs.length ? cfgsOf(readAttrs(this.text, attrs)) : [];
        const stmtCfg = own.length ? [...cfg, ...own] : cfg;
        const start = attrs[0]?.startIndex ?? node.startIndex;
        let handled = false;
        if (type === 'expression_statement') {
          // Text up to the next named child (or the closing brace): only whitespace may follow the statement.
          const limit = i + 1 < nodes.length ? nodes[i + 1].startIndex : (blockEnd < 0 ? (blockEnd = block.endIndex) : blockEnd) - 1;
          handled = this.plainStatement(node.startIndex, limit, start, stmtCfg);
        }
        if (!handled) this.statement(node, type, start, own, stmtCfg);
        attrs = [];
      }
    }
  }

  /**
   * The common statements of a module body read from their text, without
   * walking their nodes: `m.add_class::<T>()?;`,
   * `m.add_function(wrap_pyfunction!(f, m)?)?;` and `helper(m)?;`. False for
   * anything else (or anything written otherwise), which takes the tree path.
   */
  private plainStatement(from: number, limit: number, start: number, cfg: CfgExpr[]): boolean {
    const text = this.text;
    let end = -1;
    let registration: Registration | undefined;
    let helper: RustPath | undefined;
    PLAIN_REGISTRATION.lastIndex = from;
    const m = PLAIN_REGISTRATION.exec(text);
    let sink = m ? this.sinkOf(m[1]) : undefined;
    if (m && sink) {
      end = PLAIN_REGISTRATION.lastIndex;
      if (m[2] !== undefined) registration = { form: 'add_class', target: pathOf(m[2]), span: { start, end }, cfg };
      else registration = { form: m[3] as 'add_function' | 'add_wrapped', target: pathOf(m[4]), span: { start, end }, cfg };
    } else {
      PLAIN_HELPER_CALL.lastIndex = from;
      const h = PLAIN_HELPER_CALL.exec(text);
      sink = h ? this.sinkOf(h[2]) : undefined;
      if (!h || !sink || NOT_CALLEES.has(h[1])) return false;
      end = PLAIN_HELPER_CALL.lastIndex;
      helper = pathOf(h[1]);
    }
    for (let k = end; k < limit; k++) if (text.charCodeAt(k) > 32) return false;
    if (registration) sink!.registrations.push(registration);
    else sink!.helperCalls.push({ target: helper!, span: { start, end }, cfg });
    return true;
  }

  private statement(node: Node, type: string, start: number, own: CfgExpr[], cfg: CfgExpr[]): void {
    const span = { start, end: node.endIndex };
    let expr: Node | null = node;
    if (type === 'expression_statement') expr = node.firstNamedChild;
    else if (type === 'let_declaration') {
      expr = node.childForFieldName('value');
      if (expr && this.madeModule(node, expr, span, cfg)) return;
    }
    if (!expr) return;
    if (expr.type === 'block') {
      if (own.length) this.cfgBlock(expr, cfg);
      this.block(expr, cfg);
    } else if (expr.type === 'unsafe_block') {
      const inner = kids(expr).find((child) => child.type === 'block');
      if (inner) this.block(inner, cfg);
    } else if (expr.type === 'if_expression') {
      this.ifExpression(expr, cfg);
    } else {
      this.expression(expr, span, cfg);
    }
  }

  /** `if cfg!(...) { ... } else { ... }`; other `if`s are read through with the current cfg. */
  private ifExpression(node: Node, cfg: CfgExpr[]): void {
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    const guard = condition ? this.cfgMacro(condition) : undefined;
    const then = guard ? [...cfg, guard] : cfg;
    if (consequence) {
      if (guard) this.cfgBlock(consequence, then);
      this.block(consequence, then);
    }
    const alternative = node.childForFieldName('alternative')?.firstNamedChild;
    if (!alternative) return;
    const otherwise: CfgExpr[] = guard ? [...cfg, { kind: 'not', item: guard }] : cfg;
    if (alternative.type === 'block') this.block(alternative, otherwise);
    else if (alternative.type === 'if_expression') this.ifExpression(alternative, otherwise);
  }

  private cfgMacro(node: Node): CfgExpr | undefined {
    if (node.type !== 'macro_invocation') return undefined;
    const name = node.childForFieldName('macro');
    if (!name || textOf(this.text, name) !== 'cfg') return undefined;
    const tokens = kids(node).find((child) => child.type === 'token_tree');
    return tokens ? parseCfg(this.text.slice(tokens.startIndex + 1, tokens.endIndex - 1)) : undefined;
  }

  /** A cfg-gated block; its cfg is the block's own predicate, wrapped in `all` with those of enclosing blocks. */
  private cfgBlock(block: Node, cfg: CfgExpr[]): void {
    const first = kids(block).find((child) => !isComment(child));
    this.out.cfgBlocks.push({
      cfg: cfg.length === 1 ? cfg[0] : { kind: 'all', items: cfg },
      insert: braceInsert(this.text, block, first, block.startIndex),
    });
  }

  private expression(expr: Node, span: Span, cfg: CfgExpr[]): void {
    const found = this.registrationCall(expr);
    if (found) {
      const registration = this.registration(found.call, span, cfg);
      if (registration) found.sink.registrations.push(registration);
      return;
    }
    if (this.made.size && this.addsSubmodule(expr, span, cfg)) return;
    this.helperCalls(expr, span, cfg);
  }

  /** `let sub = PyModule::new(py, "sub")?;` (or `new_bound`, `.unwrap()`): records the module made; false for any other `let`. */
  private madeModule(statement: Node, value: Node, span: Span, cfg: CfgExpr[]): boolean {
    const pattern = statement.childForFieldName('pattern');
    if (pattern?.type !== 'identifier') return false;
    const node = this.unwrapped(value);
    if (node?.type !== 'call_expression') return false;
    const fn = node.childForFieldName('function');
    const path = fn?.type === 'scoped_identifier' ? pathOf(textOf(this.text, fn)) : [];
    if (path.length < 2 || path[path.length - 2] !== 'PyModule' || !NEW_MODULE_FUNCTIONS.has(path[path.length - 1])) return false;
    const args = node.childForFieldName('arguments');
    const literal = args ? kids(args).find((arg) => arg.type === 'string_literal') : undefined;
    const pythonName = literal ? stringValue(textOf(this.text, literal)) : undefined;
    if (pythonName === undefined) return false;
    const variable = textOf(this.text, pattern);
    const sub: InlineSubmodule = { variable, pythonName, span, cfg, registrations: [], helperCalls: [] };
    this.made.set(variable, sub);
    (this.out.submodules ??= []).push(sub);
    return true;
  }

  /** An expression without its `?`, `.unwrap()` and `.expect(..)`. */
  private unwrapped(expr: Node): Node | null {
    let node: Node | null = expr;
    while (node?.type === 'try_expression' || (node?.type === 'call_expression' && this.unwrapCall(node))) {
      node = node.type === 'try_expression' ? node.firstNamedChild : node.childForFieldName('function')!.childForFieldName('value');
    }
    return node;
  }

  /** Whether a call is `x.unwrap()` or `x.expect(..)`. */
  private unwrapCall(call: Node): boolean {
    const fn = call.childForFieldName('function');
    const field = fn?.type === 'field_expression' ? fn.childForFieldName('field') : null;
    return !!field && UNWRAP_METHODS.has(textOf(this.text, field));
  }

  /** `m.add_submodule(&sub)?` for a module `sub` the body made: records that it is added. */
  private addsSubmodule(expr: Node, span: Span, cfg: CfgExpr[]): boolean {
    const node = this.unwrapped(expr);
    if (node?.type !== 'call_expression') return false;
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'field_expression') return false;
    const receiver = fn.childForFieldName('value');
    const field = fn.childForFieldName('field');
    if (!receiver || !field || textOf(this.text, field) !== 'add_submodule' || receiver.type !== 'identifier' || textOf(this.text, receiver) !== this.param) return false;
    const args = node.childForFieldName('arguments');
    const arg = args ? kids(args).find((a) => !isComment(a)) : undefined;
    const sub = arg ? this.made.get(this.variableOf(arg) ?? '') : undefined;
    if (!sub) return false;
    sub.added = { span, cfg };
    return true;
  }

  /** The variable an argument names: `sub`, `&sub`, `sub.clone()`, `&sub.as_borrowed()`. */
  private variableOf(arg: Node): string | undefined {
    if (arg.type === 'identifier') return textOf(this.text, arg);
    if (arg.type === 'reference_expression') {
      const value = arg.childForFieldName('value');
      return value ? this.variableOf(value) : undefined;
    }
    if (arg.type === 'call_expression') {
      const fn = arg.childForFieldName('function');
      if (fn?.type !== 'field_expression') return undefined;
      const field = fn.childForFieldName('field');
      const receiver = fn.childForFieldName('value');
      return field && receiver && PASS_THROUGH_METHODS.has(textOf(this.text, field)) ? this.variableOf(receiver) : undefined;
    }
    return undefined;
  }

  /** Strips `?`, `.unwrap()`, `.expect(..)` and the like down to `m.add_*(..)` on the module or one the body made, if that is what the statement is. */
  private registrationCall(expr: Node): { call: Node; sink: Sink } | undefined {
    let node: Node | null = expr;
    while (node) {
      if (node.type === 'try_expression') { node = node.firstNamedChild; continue; }
      if (node.type !== 'call_expression') return undefined;
      let fn = node.childForFieldName('function');
      if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
      if (!fn || fn.type !== 'field_expression') return undefined;
      const field = fn.childForFieldName('field');
      const receiver = fn.childForFieldName('value');
      if (!field || !receiver) return undefined;
      if (REGISTER_METHODS.has(textOf(this.text, field))) {
        const sink = receiver.type === 'identifier' ? this.sinkOf(textOf(this.text, receiver)) : undefined;
        return sink ? { call: node, sink } : undefined;
      }
      node = receiver;
    }
    return undefined;
  }

  private registration(call: Node, span: Span, cfg: CfgExpr[]): Registration | undefined {
    let fn = call.childForFieldName('function')!;
    let typeArgs: Node | null = null;
    if (fn.type === 'generic_function') {
      typeArgs = fn.childForFieldName('type_arguments');
      fn = fn.childForFieldName('function')!;
    }
    const method = textOf(this.text, fn.childForFieldName('field')!);
    const argsNode = call.childForFieldName('arguments');
    const args = argsNode ? kids(argsNode).filter((node) => !isComment(node) && node.type !== 'attribute_item') : [];
    if (method === 'add_class') {
      const type = typeArgs ? kids(typeArgs)[0] : undefined;
      return type ? { form: 'add_class', target: pathOf(textOf(this.text, type)), span, cfg } : undefined;
    }
    if (method === 'add_function' || method === 'add_wrapped') {
      const target = args[0] ? this.wrappedFunction(args[0], method === 'add_wrapped') : undefined;
      return target ? { form: method, target, span, cfg } : undefined;
    }
    const registration: Registration = { form: 'add', span, cfg };
    const name = args[0] ? stringValue(textOf(this.text, args[0])) : undefined;
    if (name !== undefined) registration.pythonName = name;
    if (args[1]) {
      registration.valueText = textOf(this.text, args[1]);
      const target = this.typeTarget(args[1]);
      if (target) registration.target = target;
    }
    return registration;
  }

  /**
   * The function path in `wrap_pyfunction!(path, m)` (through `?`, `.unwrap()`,
   * ...), or with `module`, the module path in `wrap_pymodule!(path)`;
   * undefined for anything else.
   */
  private wrappedFunction(arg: Node, module = false): RustPath | undefined {
    let node: Node | null = arg;
    while (node && node.type !== 'macro_invocation') {
      if (node.type === 'try_expression') node = node.firstNamedChild;
      else if (node.type === 'call_expression') node = node.childForFieldName('function');
      else if (node.type === 'field_expression') node = node.childForFieldName('value');
      else return undefined;
    }
    const name = node?.childForFieldName('macro');
    if (!node || !name) return undefined;
    const macro = pathOf(textOf(this.text, name)).pop() ?? '';
    if (!WRAP_FUNCTION_MACROS.has(macro) && !(module && macro === 'wrap_pymodule')) return undefined;
    const tokens = kids(node).find((child) => child.type === 'token_tree');
    if (!tokens) return undefined;
    const inner = this.text.slice(tokens.startIndex + 1, tokens.endIndex - 1);
    const path = pathOf(inner.split(',')[0]);
    return path.length ? path : undefined;
  }

  /** `T` in `get_type::<T>()`, `get_type_bound::<T>()`, `T::type_object(py)` inside an `m.add` value. */
  private typeTarget(node: Node): RustPath | undefined {
    if (node.type === 'generic_function') {
      const fn = node.childForFieldName('function');
      const field = fn?.type === 'field_expression' ? fn.childForFieldName('field') : fn;
      const last = field ? pathOf(textOf(this.text, field)).pop() : undefined;
      const type = node.childForFieldName('type_arguments')?.firstNamedChild;
      if (last && GET_TYPE_METHODS.has(last) && type) return pathOf(textOf(this.text, type));
    }
    if (node.type === 'scoped_identifier') {
      const path = pathOf(textOf(this.text, node));
      if (path.length > 1 && TYPE_OBJECT_FUNCTIONS.has(path[path.length - 1])) return path.slice(0, -1);
    }
    for (const child of kids(node)) {
      const found = this.typeTarget(child);
      if (found) return found;
    }
    return undefined;
  }

  /** Calls of plain functions that receive the module: `register(m)?`, `x::add_all(py, &m)`. */
  private helperCalls(node: Node, span: Span, cfg: CfgExpr[]): void {
    if (node.type === 'macro_invocation' || node.type === 'closure_expression') return;
    if (node.type === 'call_expression') {
      let fn = node.childForFieldName('function');
      if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn && args && (fn.type === 'identifier' || fn.type === 'scoped_identifier')) {
        // The module passed on: the body's own, else one the body made.
        let sink: Sink | undefined;
        for (const arg of kids(args)) {
          const variable = this.variableOf(arg);
          const to = variable === undefined ? undefined : this.sinkOf(variable);
          if (to === this.out || (to && !sink)) sink = to;
        }
        if (sink) sink.helperCalls.push({ target: pathOf(textOf(this.text, fn)), span, cfg });
      }
    }
    for (const child of kids(node)) this.helperCalls(child, span, cfg);
  }
}
