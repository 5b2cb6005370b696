import { Node } from 'web-tree-sitter';
import { NO_NODES, nodeList } from '../node-list';
import { PyClassDef, PythonFacts, Reexport, Span } from '../types';
import { DunderAllBuilder } from './dunder-all';
import { PlainHasattrBlock, plainHasattrBlockAt } from './hasattr-block';
import { fullLineSpan, indentAt, lineStart, nextLineStart, spanOf, stringValue, targetIdentifiers, textOf } from './text';

/** `X = V.X` seen at module level; kept when V turns out to be a backend module variable. */
interface AssignCandidate {
  reexport: Reexport;
}

type Level = 'module' | 'nested';

const ID = '[\\p{L}_][\\p{L}\\p{N}_]*';
const SP = '[ \\t]*';

/** `def name(` / `async def name(` at a statement's start (group: name). */
const DEF_HEAD = new RegExp(`(?:async[ \\t]+)?def[ \\t]+(${ID})${SP}\\(`, 'uy');

const CLAUSES = new Set(['elif_clause', 'else_clause', 'except_clause', 'except_group_clause', 'finally_clause', 'case_clause']);
const COMPOUND = new Set(['if_statement', 'try_statement', 'for_statement', 'while_statement', 'with_statement', 'match_statement']);

/**
 * Walks statements (never expressions): module level in full, module-level
 * compound statements as module level, and function/class bodies only for
 * assignments (`assignedNames`, `pathExpressions`) and dynamic re-export loops.
 */
export class StatementWalker {
  readonly defined = new Set<string>();
  readonly classes: PyClassDef[] = [];
  readonly assignedNames: { name: string; span: Span }[] = [];
  readonly pathExpressions: PythonFacts['pathExpressions'] = [];
  readonly dunderAll = new DunderAllBuilder();
  dynamicReexport: PythonFacts['dynamicReexport'] = null;
  private readonly hasattrReexports: Reexport[] = [];
  private readonly candidates: AssignCandidate[] = [];
  /** Variables holding a backend module: hasattr() subjects, import_module() results, imported names. */
  readonly backendVars = new Set<string>();

  constructor(private readonly text: string) {}

  /**
   * Walks the module's top-level statements. `skipped`: plain hasattr blocks
   * that the parse skipped (so they are not statements in the tree), read
   * from the text in their place, in source order.
   */
  walkModule(statements: readonly Node[], skipped: readonly PlainHasattrBlock[] = []): void {
    let b = 0;
    for (let i = 0; i < statements.length || b < skipped.length; ) {
      const statement = i < statements.length ? statements[i] : null;
      if (b < skipped.length && (!statement || skipped[b].start < statement.startIndex)) {
        this.addPlainHasattrBlock(skipped[b]);
        b++;
        continue;
      }
      const start = statement!.startIndex;
      const nextStatement = i + 1 < statements.length ? statements[i + 1].startIndex : this.text.length;
      const limit = b < skipped.length ? Math.min(skipped[b].start, nextStatement) : nextStatement;
      if (!this.plainHasattrBlock(start, limit)) this.statement(statement!, 'module', true);
      i++;
    }
  }

  /**
   * The common dispatcher block `if hasattr(V, "X"):\n    X = V.X`, read from
   * the text between one top-level statement's start and the next one's; a
   * dispatcher is thousands of these. Anything else takes the tree path.
   */
  private plainHasattrBlock(start: number, limit: number): boolean {
    const block = plainHasattrBlockAt(this.text, start);
    if (!block) return false;
    for (let i = block.end; i < limit; i++) if (this.text.charCodeAt(i) > 32) return false;
    this.addPlainHasattrBlock(block);
    return true;
  }

  private addPlainHasattrBlock(block: PlainHasattrBlock): void {
    const { name, source, start, end } = block;
    this.hasattrReexports.push({
      name, source, span: { start: lineStart(this.text, start), end },
      nameSpan: { ...block.nameSpan },
      style: 'hasattr', indent: indentAt(this.text, start),
    });
    this.backendVars.add(source);
    this.defined.add(name);
  }

  /** Re-exports in source order: hasattr blocks, then plain assignments from a backend variable. */
  reexports(): Reexport[] {
    const assigns = this.candidates.filter((c) => this.backendVars.has(c.reexport.source)).map((c) => c.reexport);
    return [...this.hasattrReexports, ...assigns].sort((a, b) => a.span.start - b.span.start);
  }

  private block(node: Node | null, level: Level): void {
    if (!node) return;
    for (const statement of node.namedChildren) if (statement) this.statement(statement, level, false);
  }

  /** Walks the blocks of a compound statement and of its clauses (elif/else/except/finally). */
  private blocksOf(node: Node, level: Level, skip?: Node): void {
    for (const child of node.namedChildren) {
      if (!child || (skip && child.startIndex === skip.startIndex && child.type === skip.type)) continue;
      if (child.type === 'block') this.block(child, level);
      else if (CLAUSES.has(child.type)) this.blocksOf(child, level);
    }
  }

  private statement(node: Node, level: Level, direct: boolean): void {
    switch (node.type) {
      case 'expression_statement':
        this.expressionStatement(node, level);
        break;
      case 'function_definition':
        if (level === 'module') this.defineName(node);
        if (this.mayBind(node)) this.block(node.childForFieldName('body'), 'nested');
        break;
      case 'class_definition':
        if (level === 'module') this.defineName(node);
        if (direct) this.classes.push(this.classDef(node));
        if (this.mayBind(node)) this.block(node.childForFieldName('body'), 'nested');
        break;
      case 'decorated_definition': {
        const definition = node.childForFieldName('definition');
        if (definition) this.statement(definition, level, direct);
        break;
      }
      case 'if_statement':
        this.ifStatement(node, level);
        break;
      case 'for_statement':
        this.forStatement(node, level);
        break;
      case 'ERROR':
        this.block(node, level);
        break;
      default:
        if (COMPOUND.has(node.type)) this.blocksOf(node, level);
    }
  }

  /**
   * False when a function or class holds nothing its nested walk could
   * record: no `=` (assignments, `+=`) in its text, and no `globals`/`setattr`
   * in the file (dynamic re-export loops). Test files are thousands of
   * `def test_x(self): import m; assert m.X is not None`.
   */
  private mayBind(node: Node): boolean {
    if (this.equalSigns === undefined) {
      const text = this.text;
      if (text.includes('globals') || text.includes('setattr')) this.equalSigns = null;
      else {
        const found: number[] = [];
        for (let i = text.indexOf('='); i >= 0; i = text.indexOf('=', i + 1)) found.push(i);
        this.equalSigns = found;
      }
    }
    const signs = this.equalSigns;
    if (signs === null) return true;
    const start = node.startIndex;
    let low = 0;
    let high = signs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (signs[mid] < start) low = mid + 1;
      else high = mid;
    }
    return low < signs.length && signs[low] < node.endIndex;
  }

  /** Offsets of every `=` in the text (null: the file may hold a dynamic re-export loop; walk everything). */
  private equalSigns: number[] | null | undefined;

  private defineName(node: Node): void {
    const name = node.childForFieldName('name');
    if (name) this.defined.add(textOf(this.text, name));
  }

  private expressionStatement(node: Node, level: Level): void {
    const expression = node.firstNamedChild;
    if (!expression) return;
    if (expression.type === 'assignment') this.assignment(node, expression, level);
    else if (expression.type === 'augmented_assignment') this.augmentedAssignment(node, expression, level);
    else if (expression.type === 'call' && level === 'module') this.call(node, expression);
  }

  private bindTargets(left: Node, level: Level, assigned = true): Node[] {
    const targets = targetIdentifiers(left);
    for (const target of targets) {
      const name = textOf(this.text, target);
      if (assigned) this.assignedNames.push({ name, span: spanOf(target) });
      if (level === 'module') this.defined.add(name);
    }
    return targets;
  }

  private assignment(statement: Node, node: Node, level: Level): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    if (!left) return;
    if (!right) {
      // `x: int` binds nothing.
      return;
    }
    const targets = this.bindTargets(left, level);
    while (right.type === 'assignment') {
      const inner: Node = right;
      const innerLeft = inner.childForFieldName('left');
      if (innerLeft) targets.push(...this.bindTargets(innerLeft, level));
      const next = inner.childForFieldName('right');
      if (!next) return;
      right = next;
    }
    this.pathExpression(targets, left, right);
    if (level !== 'module' || targets.length !== 1 || left.type !== 'identifier') return;
    const name = textOf(this.text, left);
    if (name === '__all__') this.dunderAll.assign(this.text, statement, right);
    else this.moduleAssignment(statement, left, name, right);
  }

  private moduleAssignment(statement: Node, left: Node, name: string, right: Node): void {
    if (right.type === 'call') {
      const fn = right.childForFieldName('function');
      const callee = fn ? textOf(this.text, fn) : '';
      if (/(^|\.)(import_module|__import__)$/.test(callee)) this.backendVars.add(name);
      return;
    }
    const reexport = this.reexportAssignment(statement, left, name, right);
    if (reexport) this.candidates.push({ reexport });
  }

  /** `X = V.X` -> a re-export of X from V (style 'assign'). */
  private reexportAssignment(statement: Node, left: Node, name: string, right: Node): Reexport | null {
    if (right.type !== 'attribute') return null;
    const object = right.childForFieldName('object');
    const attribute = right.childForFieldName('attribute');
    if (!object || !attribute || object.type !== 'identifier' || textOf(this.text, attribute) !== name) return null;
    return {
      name, source: textOf(this.text, object), span: fullLineSpan(this.text, statement),
      nameSpan: spanOf(left), style: 'assign', indent: indentAt(this.text, statement.startIndex),
    };
  }

  private augmentedAssignment(statement: Node, node: Node, level: Level): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left) return;
    this.bindTargets(left, level);
    if (level === 'module' && right && left.type === 'identifier' && textOf(this.text, left) === '__all__') {
      this.dunderAll.extend(this.text, statement, right);
    }
  }

  /** `__all__.extend([...])`, `__all__.append("x")`, `globals().update(...)`. */
  private call(statement: Node, node: Node): void {
    const fn = node.childForFieldName('function');
    if (!fn || fn.type !== 'attribute') return;
    const callee = textOf(this.text, fn).replace(/\s+/g, '');
    const args = node.childForFieldName('arguments');
    const first = args?.firstNamedChild ?? null;
    if (callee === '__all__.extend' && first) this.dunderAll.extend(this.text, statement, first);
    else if (callee === '__all__.append' && first) this.dunderAll.append(this.text, statement, first);
    else if (callee === 'globals().update') this.dynamicLoop(statement, statement);
  }

  private ifStatement(node: Node, level: Level): void {
    const hasattr = level === 'module' ? this.hasattrReexport(node) : null;
    if (hasattr) {
      this.hasattrReexports.push(hasattr.reexport);
      this.backendVars.add(hasattr.reexport.source);
      this.defined.add(hasattr.reexport.name);
      this.blocksOf(node, level, hasattr.consequence);
      return;
    }
    this.blocksOf(node, level);
  }

  /**
   * `if hasattr(V, "X"):` whose body is `X = V.X` (or is still empty while
   * typing). The body's single assignment is consumed here.
   */
  private hasattrReexport(node: Node): { reexport: Reexport; consequence: Node; target: Node | null } | null {
    const condition = node.childForFieldName('condition');
    if (!condition || condition.type !== 'call') return null;
    const fn = condition.childForFieldName('function');
    if (!fn || textOf(this.text, fn) !== 'hasattr') return null;
    const args = condition.childForFieldName('arguments')?.namedChildren ?? [];
    if (args.length !== 2 || args[0]?.type !== 'identifier' || !args[1]) return null;
    const name = stringValue(this.text, args[1]);
    const consequence = node.childForFieldName('consequence');
    if (name === null || !consequence) return null;
    const source = textOf(this.text, args[0]);
    const body = consequence.namedChildren;
    let target: Node | null = null;
    if (body.length > 0) {
      const assignment = body.length === 1 ? body[0]?.firstNamedChild : null;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const right = assignment?.childForFieldName('right');
      if (!left || !right || left.type !== 'identifier' || textOf(this.text, right).replace(/\s+/g, '') !== `${source}.${name}`) return null;
      target = left;
    }
    const reexport: Reexport = {
      name, source, span: fullLineSpan(this.text, node), nameSpan: spanOf(args[1]),
      style: 'hasattr', indent: indentAt(this.text, node.startIndex),
    };
    return { reexport, consequence: body.length > 0 ? consequence : node, target };
  }

  private forStatement(node: Node, level: Level): void {
    const left = node.childForFieldName('left');
    if (left) this.bindTargets(left, level, false);
    this.dynamicLoop(node, node.childForFieldName('body'));
    this.blocksOf(node, level);
  }

  /** Finds `globals()[n] = getattr(mod, n)` / `setattr(sys.modules[__name__], n, getattr(mod, n))` in a loop body. */
  private dynamicLoop(statement: Node, body: Node | null): void {
    if (this.dynamicReexport || !body) return;
    const source = textOf(this.text, body);
    if (!/globals\s*\(\s*\)|setattr\s*\(/.test(source)) return;
    const m = /getattr\s*\(\s*([\p{L}_][\p{L}\p{N}_.]*)\s*,/u.exec(source);
    if (m) this.dynamicReexport = { source: m[1], span: spanOf(statement) };
  }

  private pathExpression(targets: Node[], left: Node, right: Node): void {
    const parts = this.pathParts(right);
    if (!parts || parts.length < 2) return;
    const target = targets.length === 1 ? textOf(this.text, targets[0]) : textOf(this.text, left);
    this.pathExpressions.push({ target, parts, span: spanOf(right) });
  }

  /** Operands of `a / "b" / "c"`, or the arguments of `os.path.join(a, "b", "c")`. */
  private pathParts(node: Node): { text: string; span: Span }[] | null {
    if (node.type === 'binary_operator') {
      if (node.childForFieldName('operator')?.type !== '/') return null;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return null;
      const head = left.type === 'binary_operator' ? this.pathParts(left) : [this.part(left)];
      return head ? [...head, this.part(right)] : null;
    }
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      if (!fn || !/^(os\.)?path\.join$/.test(textOf(this.text, fn).replace(/\s+/g, ''))) return null;
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      return args.filter((a): a is Node => !!a && a.type !== 'comment').map((a) => this.part(a));
    }
    return null;
  }

  private part(node: Node): { text: string; span: Span } {
    return { text: textOf(this.text, node), span: spanOf(node) };
  }

  private classDef(node: Node): PyClassDef {
    const nameNode = node.childForFieldName('name');
    const body = node.childForFieldName('body');
    const statements = body ? nodeList(body.namedChildren) : NO_NODES;
    let testCount = 0;
    for (const statement of statements) {
      // `def name(` read from the text; decorated and other statements from the tree.
      DEF_HEAD.lastIndex = statement.startIndex;
      const head = DEF_HEAD.exec(this.text);
      const type = statement.type;
      if (head && type === 'function_definition') {
        if (head[1].startsWith('test_')) testCount++;
        continue;
      }
      const fn = type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      const name = fn?.type === 'function_definition' ? fn.childForFieldName('name') : null;
      if (name && textOf(this.text, name).startsWith('test_')) testCount++;
    }
    const first = statements.find((s) => s.type !== 'comment') ?? statements[0];
    const startsLine = first && indentAt(this.text, first.startIndex).length === first.startIndex - lineStart(this.text, first.startIndex);
    const indent = startsLine ? indentAt(this.text, first.startIndex) : `${indentAt(this.text, node.startIndex)}    `;
    const end = body ? body.endIndex : node.endIndex;
    return {
      name: nameNode ? textOf(this.text, nameNode) : '',
      span: spanOf(node),
      nameSpan: nameNode ? spanOf(nameNode) : spanOf(node),
      insert: { offset: nextLineStart(this.text, Math.max(node.startIndex, end - 1)), indent },
      testCount,
    };
  }
}
