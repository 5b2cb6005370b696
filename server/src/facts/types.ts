/**
 * Per-file facts: plain data extracted from one parse of one file (or of one
 * variant's projection of a template file). No tree-sitter nodes survive here.
 * All offsets are UTF-16 code-unit offsets into the file's own text, so they
 * are valid for the original template text as well as for its projections.
 */

export interface Span {
  start: number;
  end: number;
}

/** A `#[cfg(...)]` predicate. Only `feature = "x"` is evaluated; other leaves are kept as `other`. */
export type CfgExpr =
  | { kind: 'feature'; name: string }
  | { kind: 'other'; text: string }
  | { kind: 'all'; items: CfgExpr[] }
  | { kind: 'any'; items: CfgExpr[] }
  | { kind: 'not'; item: CfgExpr };

export type SymbolKind = 'class' | 'function' | 'enum' | 'exception' | 'constant';

/** A Rust path as written: `crate::context::PyContext` -> ['crate', 'context', 'PyContext']. */
export type RustPath = string[];

/** A Python-visible declaration in Rust: #[pyclass], #[pyfunction], #[pyenum], create_exception!, #[pymodule_export] const. */
export interface RustItem {
  kind: SymbolKind;
  rustName: string;
  /** Python-visible name (`name = "..."` in #[pyclass]/#[pyfunction]/#[pyo3]); defaults to rustName. */
  pythonName: string;
  /** Inline `mod` nesting inside this file, outermost first (empty at file top level). */
  scope: string[];
  /** The item's name identifier. */
  nameSpan: Span;
  /** The whole item including its attributes. */
  span: Span;
  /** Conjunction of the cfgs on the item and on every enclosing inline mod. */
  cfg: CfgExpr[];
  /** `// bindings-checklist: internal` on the line before the item or its attributes, or at the end of its first line. */
  internal: boolean;
  /** For functions: parameter names and Rust types, for stubs and generated tests. */
  params?: { name: string; type: string }[];
  /** Rust return type text of a function, if any. */
  returns?: string;
  /** For enums: variant names. */
  variants?: string[];
}

export type RegistrationForm =
  | 'add_class'       // m.add_class::<T>()
  | 'add_function'    // m.add_function(wrap_pyfunction!(f, m)?)
  | 'add_wrapped'     // m.add_wrapped(wrap_pyfunction!(f))
  | 'add'             // m.add("NAME", value)  (constant, or a type via get_type::<T>())
  | 'export';         // #[pymodule_export] use path / const / auto-exported item in a declarative module

export interface Registration {
  form: RegistrationForm;
  /** The registered Rust item, as written (for add_class/add_function/add_wrapped/export-use, and for add with get_type::<T>()). */
  target?: RustPath;
  /** For `m.add("NAME", v)` and #[pymodule_export] const: the Python name given. */
  pythonName?: string;
  /** For `m.add("NAME", v)`: the value expression's text (so a fix can copy it to another variant). */
  valueText?: string;
  /** The whole statement (including `?;` / `.unwrap();` and the preceding #[cfg] attribute, if any). */
  span: Span;
  /** cfgs of enclosing `#[cfg]` statements/blocks inside the module body (not the module's own cfg). */
  cfg: CfgExpr[];
}

/** A call inside a module (or helper) body that passes the module object on: `register_tasks(m)?`, `tasks::register(py, m)?`. */
export interface HelperCall {
  target: RustPath;
  span: Span;
  cfg: CfgExpr[];
}

/** Where a fix may insert a new statement into a body. */
export interface InsertionPoint {
  /** Offset at which to insert (start of the line of the final `Ok(())`, or just before the closing brace). */
  offset: number;
  /** Indentation of statements in this body. */
  indent: string;
}

/** A `#[cfg(...)] { ... }` block (or `if cfg!(...) { ... }`) inside a module body. */
export interface CfgBlock {
  cfg: CfgExpr;
  /** Insert new statements here (before the block's closing brace). */
  insert: InsertionPoint;
}

/** A function that receives a module object and registers on it (a #[pymodule] fn, #[pymodule_init], or a helper). */
export interface ModuleBody {
  /** Name of the parameter holding the module (`m`, `module`, ...). */
  moduleParam: string;
  registrations: Registration[];
  helperCalls: HelperCall[];
  cfgBlocks: CfgBlock[];
  insert: InsertionPoint;
  /** Modules the body makes (`let sub = PyModule::new(py, "sub")?;`), when it makes any. */
  submodules?: InlineSubmodule[];
}

/**
 * A module made in a module body, `let sub = PyModule::new(py, "sub")?;`
 * (or `new_bound`), what the body registers on it (`sub.add_class::<T>()?`,
 * `helper(&sub)?`), and whether the body adds it to its own module
 * (`m.add_submodule(&sub)?`).
 */
export interface InlineSubmodule {
  /** The variable holding it. */
  variable: string;
  /** The name given to `PyModule::new`. */
  pythonName: string;
  /** The `let` statement. */
  span: Span;
  cfg: CfgExpr[];
  registrations: Registration[];
  helperCalls: HelperCall[];
  /** The `add_submodule` statement, when the body adds it to its module. */
  added?: { span: Span; cfg: CfgExpr[] };
}

export interface PyModuleDecl {
  rustName: string;
  /** `#[pyo3(name = "...")]` / `#[pymodule(name = "...")]` or rustName. */
  pythonName: string;
  scope: string[];
  nameSpan: Span;
  span: Span;
  /** cfgs on the module item (and enclosing mods): these decide its variant. */
  cfg: CfgExpr[];
  style: 'function' | 'declarative';
  /** For the function style: its body. For the declarative style: the #[pymodule_init] fn body if any. */
  body?: ModuleBody;
  /** Declarative style: #[pymodule_export] items and items declared inside (auto-exported). */
  exports: Registration[];
  /** Declarative style: where a new `#[pymodule_export] use ...;` goes. */
  exportInsert?: InsertionPoint;
}

/** A non-#[pymodule] function with a parameter typed as a module: a registration helper. */
export interface RegistrationHelper {
  rustName: string;
  scope: string[];
  nameSpan: Span;
  cfg: CfgExpr[];
  body: ModuleBody;
}

export interface UseDecl {
  /** Full path as written, including the last segment (`crate::a::B`), or the glob's module for globs. */
  path: RustPath;
  /** Name it binds in scope (alias or last segment); '*' for glob imports. */
  alias: string;
  scope: string[];
  isPub: boolean;
  cfg: CfgExpr[];
  span: Span;
}

export interface ModDecl {
  name: string;
  scope: string[];
  /** `mod x;` (file module) vs `mod x { ... }` (inline). */
  inline: boolean;
  /** `#[path = "..."]` attribute. */
  pathAttr?: string;
  cfg: CfgExpr[];
  span: Span;
}

export interface ParseProblem {
  span: Span;
  message: string;
}

export interface RustFacts {
  language: 'rust';
  items: RustItem[];
  modules: PyModuleDecl[];
  helpers: RegistrationHelper[];
  uses: UseDecl[];
  mods: ModDecl[];
  /** Where a new top-level `use` line goes (after the last top-level use, or at file start after inner attributes/comments). */
  useInsert: InsertionPoint;
  /**
   * Syntax errors of the parsed text. The index parses Rust files skipping
   * what the facts never read (`parsing/rust-skip.ts`: impl bodies, fn bodies
   * other than #[pymodule]/#[pymodule_init] fns and fns taking a PyModule,
   * struct fields, whole-line comments): syntax errors there are not reported.
   */
  problems: ParseProblem[];
}

// ---------------------------------------------------------------- Python

export interface ImportedName {
  /** Name in the source module. */
  name: string;
  /** `as` alias, if any. */
  alias?: string;
  /** Span of `name` or `name as alias`. */
  span: Span;
}

export interface ImportFrom {
  /** Module as written: '.cloaca_sqlite', 'cloaca', '..x', 'pkg._core'. */
  module: string;
  names: ImportedName[];
  star: boolean;
  parenthesized: boolean;
  /** The whole statement. */
  span: Span;
  /** Indentation of the statement's first line. */
  indent: string;
  /** True when the statement sits at module level (not inside def/class/if/try). */
  topLevel: boolean;
}

export interface StringEntry {
  value: string;
  /** The string literal including its quotes. */
  span: Span;
}

export interface DunderAll {
  /** The main `__all__ = [...]` / `(...)` assignment (or the first one). */
  span: Span;
  /** Span of the list/tuple literal of the main assignment, null when its value is not a literal (e.g. `__all__ = other.__all__`). */
  literal: { span: Span; kind: 'list' | 'tuple' } | null;
  /** Entries from the main literal and from `+=`, `.extend([...])`, `.append("...")`. */
  entries: StringEntry[];
  /** Entries of the main literal only (the place a fix edits). */
  literalEntries: StringEntry[];
  /** True when some part of __all__ is computed (not a literal). */
  dynamic: boolean;
}

/** `if hasattr(_backend_module, "X"): X = _backend_module.X` or plain `X = _backend_module.X`. */
export interface Reexport {
  name: string;
  /** The backend variable (`_backend_module`). */
  source: string;
  /** The whole `if` statement or assignment (full lines). */
  span: Span;
  /** The name's string literal / target identifier to squiggle. */
  nameSpan: Span;
  style: 'hasattr' | 'assign';
  indent: string;
}

/** A use of an attribute of an imported module: `cloaca.X`, `from cloaca import X`, `hasattr(cloaca, "X")`. */
export interface ModuleReference {
  /** Module name as imported (resolved through `import cloaca as c`). */
  module: string;
  name: string;
  span: Span;
}

export interface PyClassDef {
  name: string;
  span: Span;
  nameSpan: Span;
  /** Where a new method goes: end of the class body. */
  insert: InsertionPoint;
  /** Number of `def test_*` methods. */
  testCount: number;
}

export interface PythonFacts {
  language: 'python';
  imports: ImportFrom[];
  /** `import x` / `import x as y`: alias -> module. */
  moduleImports: { module: string; alias: string; span: Span }[];
  dunderAll: DunderAll | null;
  /** Names bound at module level by def/class/assignment (not by imports). */
  definedNames: string[];
  reexports: Reexport[];
  /** `for attr in __all__: globals()[attr] = getattr(mod, attr)` style loop present (name of the module var). */
  dynamicReexport: { source: string; span: Span } | null;
  references: ModuleReference[];
  classes: PyClassDef[];
  /** `some_var = a / "target" / "wheels"` path expressions: the operands as text. */
  pathExpressions: { target: string; parts: { text: string; span: Span }[]; span: Span }[];
  /**
   * Names assigned anywhere (for finding `backend_dir`-like variables), but
   * for the targets of `hasattr` re-export blocks, which `reexports` holds (a
   * generated dispatcher has tens of thousands).
   */
  assignedNames: { name: string; span: Span }[];
  /** End of file insertion point at module level. */
  endInsert: InsertionPoint;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------- TOML

export type TomlValue =
  | {
      kind: 'string';
      value: string;
      /** The literal including its quotes. */
      span: Span;
      /** The text between the quotes, as written (escapes not decoded). */
      contentSpan?: Span;
    }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'array'; items: TomlValue[]; span: Span }
  | { kind: 'table'; entries: Map<string, TomlEntry>; span: Span }
  | { kind: 'other'; text: string; span: Span };

export interface TomlEntry {
  value: TomlValue;
  /** Span of the key as written. */
  keySpan: Span;
}

export interface TomlFacts {
  language: 'toml';
  root: Map<string, TomlEntry>;
  problems: ParseProblem[];
}

export type FileFacts = RustFacts | PythonFacts | TomlFacts;
