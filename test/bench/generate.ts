/**
 * Seeded generator of large synthetic workspaces in the layout of
 * seed/PYTHON_BINDINGS_CHECKLIST.md (cloaca-backend crate with two feature-gated
 * #[pymodule]s, a Jinja wrapper template, a dispatcher package, python tests and
 * the angreal build templates).
 *
 * Output is a pure function of (options): the same seed always writes byte-identical
 * files. With `gaps > 0`, that many links of the chain are left out and reported,
 * so a benchmark can check that the checker finds exactly those.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface GenerateOptions {
  /** Rust files in the crate, lib.rs included. */
  rustFiles: number;
  /** How many of those files declare binding symbols (each with a `register` helper). */
  bindingFiles: number;
  /** Python-visible binding symbols spread over the binding files (`__backend__` not counted). */
  symbols: number;
  seed: number;
  /** Links to leave out (default 0). */
  gaps?: number;
  /** Python test files (default: one per 200 symbols, between 1 and 100). */
  testFiles?: number;
}

export interface GeneratedGap {
  rule: string;
  /** Python name of the symbol whose link is missing. */
  symbol: string;
  /** Workspace-relative file (forward slashes) the link was removed from. */
  file: string;
  /** The trimmed line that would have carried the link. */
  removed: string;
}

export interface GeneratedWorkspace {
  root: string;
  /** Files written. */
  files: number;
  /** Binding symbols declared in Rust. */
  symbols: number;
  /** Bytes written. */
  bytes: number;
  gaps: GeneratedGap[];
}

/** Rule ids a gap can stand for, in the order gaps cycle through them. */
export const GAP_RULES = [
  "missing-registration",
  "missing-wrapper-import",
  "missing-reexport",
  "missing-test",
  "missing-dunder-all",
] as const;

/** File left at the root so a later run may safely wipe and regenerate the directory. */
export const MARKER_FILE = ".generated-workspace";

export const DEFAULT_OPTIONS: GenerateOptions = {
  rustFiles: 5000,
  bindingFiles: 500,
  symbols: 20000,
  seed: 1,
  gaps: 0,
};

// ---------------------------------------------------------------- randomness

type Rng = () => number;

/** A small deterministic PRNG (mulberry32). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** k distinct indexes out of [0, n), in random order. */
function sample(rng: Rng, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, k);
}

// ---------------------------------------------------------------- vocabulary

const MODULE_WORDS = [
  "scheduler", "executor", "registry", "runtime", "storage", "queue", "worker", "cron",
  "dag", "context", "task", "pipeline", "retry", "trigger", "events", "metrics", "config",
  "database", "models", "schema", "migrations", "auth", "tenant", "recovery", "lease",
  "heartbeat", "admin", "security", "crypto", "signing", "keys", "packaging", "loader",
  "manifest", "archive", "dispatch", "routing", "cache", "telemetry", "logging", "graph",
  "planner", "state", "history", "timeline", "audit", "backoff", "policy", "util", "io",
];
const NOUNS = [
  "Task", "Workflow", "Context", "Schedule", "Trigger", "Runner", "Record", "Lease",
  "Tenant", "Policy", "Handle", "Snapshot", "Event", "Batch", "Window", "Cursor", "Token",
  "Report", "Stage", "Plan", "Entry", "Bucket", "Signal", "Ledger", "Manifest", "Key",
];
const VERBS = [
  "load", "store", "compute", "resolve", "validate", "merge", "render", "parse", "encode",
  "decode", "schedule", "cancel", "retry", "summarize", "collect", "flush", "lookup", "count",
];
const FIELDS: [string, string, string][] = [
  // name, type, default expression
  ["name", "String", "String::new()"],
  ["retries", "u32", "3"],
  ["timeout_ms", "u64", "30_000"],
  ["weights", "Vec<f64>", "Vec::new()"],
  ["labels", "Vec<String>", "Vec::new()"],
  ["enabled", "bool", "true"],
  ["priority", "i32", "0"],
  ["attempts", "usize", "0"],
  ["owner", "Option<String>", "None"],
  ["ratio", "f64", "1.0"],
];
const VARIANTS = [
  "Pending", "Running", "Completed", "Failed", "Skipped", "Cancelled", "Retrying", "Paused",
  "Queued", "Expired",
];
const COMMENTS = [
  "Keeps the bookkeeping close to the data it describes.",
  "The order of these checks matters: cheap ones first.",
  "Callers are expected to hold the lease while this runs.",
  "Values outside the configured window are clamped, not rejected.",
  "This mirrors the on-disk representation; keep both in sync.",
  "Recomputed lazily because most callers never read it.",
  "A zero value means \"use the default from the configuration\".",
  "Errors here are reported upstream and never retried locally.",
];

function pascal(s: string): string {
  return s
    .split("_")
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w))
    .join("");
}

// ---------------------------------------------------------------- module tree

interface ModNode {
  index: number;
  name: string; // "" for the crate root
  parent: ModNode | null;
  depth: number;
  children: ModNode[];
  /** `crate::a::b` */
  rustPath: string;
  /** Path of the .rs file, relative to cloaca-backend/ */
  file: string;
  /** Directory holding this module's child files, relative to cloaca-backend/ */
  childDir: string;
  modRsStyle: boolean;
  binding: boolean;
  /** On the way from lib.rs to a binding file: declared `pub mod`. */
  publicPath: boolean;
}

const MAX_DEPTH = 6;

function buildTree(rng: Rng, moduleCount: number): ModNode[] {
  const root: ModNode = {
    index: 0, name: "", parent: null, depth: 0, children: [], rustPath: "crate",
    file: "src/lib.rs", childDir: "src", modRsStyle: false, binding: false, publicPath: true,
  };
  const nodes: ModNode[] = [root];
  const taken = new Map<ModNode, Set<string>>();
  for (let i = 1; i <= moduleCount; i++) {
    // Older nodes are favoured (r^2), which keeps the tree bushy rather than deep.
    const r = rng();
    let parent = nodes[Math.floor(r * r * nodes.length)];
    while (parent.depth >= MAX_DEPTH) parent = parent.parent!;
    let names = taken.get(parent);
    if (!names) taken.set(parent, (names = new Set()));
    const word = pick(rng, MODULE_WORDS);
    let name = word;
    for (let k = 2; names.has(name); k++) name = `${word}_${k}`;
    names.add(name);
    const node: ModNode = {
      index: i, name, parent, depth: parent.depth + 1, children: [],
      rustPath: `${parent.rustPath}::${name}`, file: "", childDir: "",
      modRsStyle: rng() < 0.5, binding: false, publicPath: false,
    };
    parent.children.push(node);
    nodes.push(node);
  }
  // Parents are created before their children, so one pass in creation order works.
  for (const n of nodes) {
    if (!n.parent) continue;
    const dir = n.parent.childDir;
    n.childDir = `${dir}/${n.name}`;
    n.file = n.children.length > 0 && n.modRsStyle ? `${n.childDir}/mod.rs` : `${dir}/${n.name}.rs`;
  }
  return nodes;
}

function modDecls(rng: Rng, node: ModNode, out: string[]): void {
  for (const c of node.children) {
    const vis = c.publicPath ? "pub " : pick(rng, ["", "pub ", "pub(crate) "]);
    out.push(`${vis}mod ${c.name};`);
  }
}

// ---------------------------------------------------------------- binding symbols

type SymbolKind = "class" | "function" | "enum";

interface BindingSymbol {
  kind: SymbolKind;
  pyName: string;
  rustName: string;
  renamed: boolean;
  node: ModNode;
}

function planSymbols(rng: Rng, bindingNodes: ModNode[], total: number): BindingSymbol[][] {
  const perFile: BindingSymbol[][] = [];
  const base = bindingNodes.length ? Math.floor(total / bindingNodes.length) : 0;
  const extra = bindingNodes.length ? total % bindingNodes.length : 0;
  bindingNodes.forEach((node, f) => {
    const count = base + (f < extra ? 1 : 0);
    const tag = `${node.name.replace(/_\d+$/, "").replace(/_/g, "")}${f}`;
    const Tag = pascal(tag);
    const list: BindingSymbol[] = [];
    for (let j = 0; j < count; j++) {
      const r = rng();
      const kind: SymbolKind = r < 0.44 ? "class" : r < 0.93 ? "function" : "enum";
      if (kind === "function") {
        const pyName = `${tag}_${pick(rng, VERBS)}_${pick(rng, NOUNS).toLowerCase()}_${j}`;
        const renamed = rng() < 0.2;
        list.push({ kind, pyName, rustName: renamed ? `py_${pyName}` : pyName, renamed, node });
      } else {
        const suffix = kind === "enum" ? pick(rng, ["State", "Kind", "Mode", "Status"]) : "";
        const pyName = `${Tag}${pick(rng, NOUNS)}${suffix}${j}`;
        const renamed = kind === "class" && rng() < 0.2;
        list.push({ kind, pyName, rustName: renamed ? `Py${pyName}` : pyName, renamed, node });
      }
    }
    perFile.push(list);
  });
  return perFile;
}

function registrationLine(s: BindingSymbol): string {
  return s.kind === "function"
    ? `m.add_function(wrap_pyfunction!(${s.rustName}, m)?)?;`
    : `m.add_class::<${s.rustName}>()?;`;
}

function emitClass(rng: Rng, s: BindingSymbol, out: string[]): void {
  const fields = sample(rng, FIELDS.length, int(rng, 2, 4)).map((i) => FIELDS[i]);
  const hasName = fields.some((f) => f[0] === "name");
  if (!hasName) fields.unshift(FIELDS[0]);
  const noun = s.pyName.replace(/\d+$/, "");
  out.push(`/// ${noun} as seen from Python.`, `///`, `/// ${pick(rng, COMMENTS)}`);
  out.push(s.renamed ? `#[pyclass(name = "${s.pyName}")]` : `#[pyclass]`);
  out.push(`#[derive(Clone, Debug)]`, `pub struct ${s.rustName} {`);
  for (const [n, t] of fields) out.push(`    ${n}: ${t},`);
  out.push(`}`, ``, `#[pymethods]`, `impl ${s.rustName} {`);
  out.push(`    #[new]`, `    #[pyo3(signature = (name, retries = 3))]`);
  out.push(`    fn new(name: String, retries: u32) -> PyResult<Self> {`);
  out.push(`        if name.is_empty() {`);
  out.push(`            return Err(pyo3::exceptions::PyValueError::new_err("name must not be empty"));`);
  out.push(`        }`);
  out.push(`        let _ = retries;`);
  out.push(`        Ok(Self {`);
  for (const [n, , d] of fields) out.push(n === "name" || n === "retries" ? `            ${n},` : `            ${n}: ${d},`);
  out.push(`        })`, `    }`, ``);
  out.push(`    #[getter]`, `    fn name(&self) -> &str {`, `        &self.name`, `    }`, ``);
  const method = `${pick(rng, VERBS)}_${pick(rng, NOUNS).toLowerCase()}`;
  const variant = int(rng, 0, 2);
  out.push(`    fn ${method}(&self, items: Vec<String>) -> PyResult<Vec<String>> {`);
  if (variant === 0) {
    out.push(`        let mut result = Vec::with_capacity(items.len());`);
    out.push(`        for item in items {`);
    out.push(`            if item.starts_with('#') {`, `                continue;`, `            }`);
    out.push(`            result.push(format!("{}:{}", self.name, item.trim()));`);
    out.push(`        }`, `        Ok(result)`);
  } else if (variant === 1) {
    out.push(`        let prefix = self.name.to_lowercase();`);
    out.push(`        let mut seen = std::collections::HashSet::new();`);
    out.push(`        let result: Vec<String> = items`);
    out.push(`            .into_iter()`);
    out.push(`            .filter(|i| seen.insert(i.clone()))`);
    out.push(`            .map(|i| format!("{prefix}/{i}"))`);
    out.push(`            .collect();`);
    out.push(`        if result.len() > 10_000 {`);
    out.push(`            return Err(pyo3::exceptions::PyOverflowError::new_err("too many items"));`);
    out.push(`        }`, `        Ok(result)`);
  } else {
    out.push(`        // ${pick(rng, COMMENTS)}`);
    out.push(`        let mut sorted = items;`);
    out.push(`        sorted.sort();`);
    out.push(`        sorted.dedup();`);
    out.push(`        Ok(sorted)`);
  }
  out.push(`    }`, ``);
  out.push(`    fn __repr__(&self) -> String {`);
  out.push(`        format!("${s.pyName}(name={:?})", self.name)`);
  out.push(`    }`, `}`, ``);
}

function emitEnum(rng: Rng, s: BindingSymbol, out: string[]): void {
  const variants = sample(rng, VARIANTS.length, int(rng, 3, 6)).map((i) => VARIANTS[i]);
  out.push(`/// Lifecycle states exposed to Python.`);
  out.push(`#[pyclass(eq, eq_int)]`);
  out.push(`#[derive(Clone, Copy, Debug, PartialEq, Eq)]`, `pub enum ${s.rustName} {`);
  for (const v of variants) out.push(`    ${v},`);
  out.push(`}`, ``);
}

function emitFunction(rng: Rng, s: BindingSymbol, out: string[]): void {
  out.push(`/// ${pick(rng, COMMENTS)}`, `#[pyfunction]`);
  if (s.renamed) out.push(`#[pyo3(name = "${s.pyName}")]`);
  const variant = int(rng, 0, 2);
  if (variant === 0) {
    out.push(`fn ${s.rustName}(values: Vec<i64>, scale: i64) -> PyResult<i64> {`);
    out.push(`    let mut acc: i64 = 0;`);
    out.push(`    for v in values {`);
    out.push(`        acc = acc`);
    out.push(`            .checked_add(v.saturating_mul(scale))`);
    out.push(`            .ok_or_else(|| pyo3::exceptions::PyOverflowError::new_err("overflow"))?;`);
    out.push(`    }`, `    Ok(acc)`, `}`, ``);
  } else if (variant === 1) {
    out.push(`fn ${s.rustName}(text: &str) -> String {`);
    out.push(`    text.split_whitespace()`);
    out.push(`        .filter(|w| !w.is_empty())`);
    out.push(`        .collect::<Vec<_>>()`);
    out.push(`        .join(" ")`, `}`, ``);
  } else {
    out.push(`#[pyo3(signature = (key, default = None))]`);
    out.push(`fn ${s.rustName}(key: String, default: Option<String>) -> PyResult<String> {`);
    out.push(`    match std::env::var(&key) {`);
    out.push(`        Ok(v) if !v.is_empty() => Ok(v),`);
    out.push(`        _ => default.ok_or_else(|| {`);
    out.push(`            pyo3::exceptions::PyKeyError::new_err(format!("{key} is not set"))`);
    out.push(`        }),`, `    }`, `}`, ``);
  }
}

function bindingFile(rng: Rng, node: ModNode, symbols: BindingSymbol[], skip: Set<string>): string {
  const out: string[] = [];
  out.push(`//! Python bindings for \`${node.rustPath.replace(/^crate::/, "")}\`.`, ``);
  modDecls(rng, node, out);
  if (node.children.length) out.push(``);
  out.push(`use pyo3::prelude::*;`, ``);
  for (const s of symbols) {
    if (s.kind === "class") emitClass(rng, s, out);
    else if (s.kind === "enum") emitEnum(rng, s, out);
    else emitFunction(rng, s, out);
  }
  out.push(`/// Registers this file's classes and functions on \`m\`.`);
  out.push(`pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {`);
  for (const s of symbols) if (!skip.has(s.pyName)) out.push(`    ${registrationLine(s)}`);
  out.push(`    Ok(())`, `}`, ``);
  return out.join("\n");
}

// ---------------------------------------------------------------- plain Rust files

function plainFile(rng: Rng, node: ModNode): string {
  const out: string[] = [];
  const target = int(rng, 50, 300);
  const base = pascal(node.name.replace(/_\d+$/, ""));
  out.push(`//! ${base} support for \`${node.rustPath.replace(/^crate::/, "")}\`.`, `//!`);
  out.push(`//! ${pick(rng, COMMENTS)}`, ``);
  modDecls(rng, node, out);
  if (node.children.length) out.push(``);
  const uses = [
    "use std::collections::HashMap;", "use std::sync::Arc;",
    "use std::time::{Duration, Instant};", "use std::path::PathBuf;",
    "use serde::{Deserialize, Serialize};", "use tracing::{debug, warn};",
  ];
  out.push("use std::fmt;");
  for (const i of sample(rng, uses.length, int(rng, 1, 4)).sort((a, b) => a - b)) out.push(uses[i]);
  out.push(``);
  let k = 0;
  while (out.length < target) {
    k++;
    const block = int(rng, 0, 3);
    if (block === 0) {
      const fields = sample(rng, FIELDS.length, int(rng, 2, 5)).map((i) => FIELDS[i]);
      const ty = `${base}${pick(rng, NOUNS)}${k}`;
      out.push(`/// ${pick(rng, COMMENTS)}`, `#[derive(Debug, Clone)]`, `pub struct ${ty} {`);
      for (const [n, t] of fields) out.push(`    pub ${n}: ${t},`);
      out.push(`}`, ``, `impl ${ty} {`, `    pub fn new() -> Self {`, `        Self {`);
      for (const [n, , d] of fields) out.push(`            ${n}: ${d},`);
      out.push(`        }`, `    }`, ``);
      const [fname, ftype] = fields[0];
      out.push(`    pub fn ${fname}(&self) -> &${ftype} {`, `        &self.${fname}`, `    }`, ``);
      out.push(`    pub fn describe(&self) -> String {`);
      out.push(`        // ${pick(rng, COMMENTS)}`);
      out.push(`        format!("${ty}({:?})", self.${fname})`, `    }`, `}`, ``);
    } else if (block === 1) {
      const fn = `${pick(rng, VERBS)}_${pick(rng, NOUNS).toLowerCase()}_${k}`;
      out.push(`/// ${pick(rng, COMMENTS)}`);
      out.push(`pub fn ${fn}(input: &[u64], limit: usize) -> Result<u64, String> {`);
      out.push(`    if input.len() > limit {`);
      out.push(`        return Err(format!("{} items exceed the limit of {}", input.len(), limit));`);
      out.push(`    }`, `    let mut total = 0u64;`, `    for (i, v) in input.iter().enumerate() {`);
      out.push(`        if i % 2 == 0 {`, `            total = total.wrapping_add(*v);`);
      out.push(`        } else {`, `            total = total.wrapping_sub(*v / 2);`, `        }`);
      out.push(`    }`, `    Ok(total)`, `}`, ``);
    } else if (block === 2) {
      const variants = sample(rng, VARIANTS.length, int(rng, 3, 6)).map((i) => VARIANTS[i]);
      const ty = `${base}${pick(rng, ["State", "Kind", "Mode"])}${k}`;
      out.push(`#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]`, `pub enum ${ty} {`);
      for (const v of variants) out.push(`    ${v},`);
      out.push(`}`, ``, `impl fmt::Display for ${ty} {`);
      out.push(`    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {`);
      out.push(`        let s = match self {`);
      for (const v of variants) out.push(`            ${ty}::${v} => "${v.toLowerCase()}",`);
      out.push(`        };`, `        f.write_str(s)`, `    }`, `}`, ``);
    } else {
      out.push(`// ${pick(rng, COMMENTS)}`, `// ${pick(rng, COMMENTS)}`);
      out.push(`pub const ${base.toUpperCase()}_LIMIT_${k}: usize = ${int(rng, 1, 4096)};`, ``);
    }
  }
  if (rng() < 0.3) {
    out.push(`#[cfg(test)]`, `mod tests {`, `    use super::*;`, ``, `    #[test]`);
    out.push(`    fn limits_are_positive() {`, `        assert!(1 + 1 == 2);`, `    }`, `}`, ``);
  }
  return out.join("\n");
}

// ---------------------------------------------------------------- fixed files

function libRs(rng: Rng, root: ModNode, bindingNodes: ModNode[]): string {
  const out: string[] = [];
  out.push(`//! cloaca backend: one extension module per database feature.`, ``);
  modDecls(rng, root, out);
  out.push(``, `use pyo3::prelude::*;`, ``);
  for (const backend of ["postgres", "sqlite"]) {
    out.push(`#[pymodule]`, `#[cfg(feature = "${backend}")]`);
    out.push(`fn cloaca_${backend}(m: &Bound<'_, PyModule>) -> PyResult<()> {`);
    for (const n of bindingNodes) out.push(`    ${n.rustPath}::register(m)?;`);
    out.push(`    m.add("__backend__", "${backend}")?;`, `    Ok(())`, `}`, ``);
  }
  return out.join("\n");
}

function wrapperTemplate(names: string[], skipImport: Set<string>, skipAll: Set<string>): string {
  const out: string[] = [];
  out.push(`"""cloaca_{{backend}}: the {{backend}} build of the cloaca extension."""`, ``);
  out.push(`# Import from the extension module built by maturin`);
  out.push(`from .cloaca_{{backend}} import (`);
  for (const n of names) if (!skipImport.has(n)) out.push(`    ${n},`);
  out.push(`    __backend__,`, `)`, ``, `__all__ = [`);
  for (const n of names) if (!skipAll.has(n)) out.push(`    "${n}",`);
  out.push(`    "__backend__",`, `]`, ``);
  return out.join("\n");
}

function dispatcher(names: string[], skip: Set<string>): string {
  const out: string[] = [];
  out.push(`"""cloaca: picks the installed backend and re-exports its public API."""`, ``);
  out.push(`import importlib`, `import os`, ``);
  out.push(`_BACKENDS = ("postgres", "sqlite")`, ``, ``);
  out.push(`def _load_backend():`);
  out.push(`    preferred = os.environ.get("CLOACA_BACKEND")`);
  out.push(`    order = [preferred] if preferred else list(_BACKENDS)`);
  out.push(`    for name in order:`, `        try:`);
  out.push(`            return importlib.import_module(f"cloaca_{name}")`);
  out.push(`        except ImportError:`, `            continue`);
  out.push(`    raise ImportError("no cloaca backend is installed (tried: %s)" % ", ".join(order))`);
  out.push(``, ``, `_backend_module = _load_backend()`, ``);
  out.push(`# Expose the backend's symbols directly`);
  for (const n of [...names, "__backend__"]) {
    if (skip.has(n)) continue;
    out.push(`if hasattr(_backend_module, "${n}"):`, `    ${n} = _backend_module.${n}`);
  }
  out.push(``, `__all__ = [`);
  for (const n of [...names, "__backend__"]) if (!skip.has(n)) out.push(`    "${n}",`);
  out.push(`]`, ``);
  return out.join("\n");
}

function testFile(index: number, names: string[], skip: Set<string>, withBackend: boolean): string {
  const id = String(index).padStart(3, "0");
  const out: string[] = [];
  out.push(`"""Smoke tests: every public name of group ${id} is exposed by cloaca."""`, ``, ``);
  out.push(`class TestBindings${id}:`);
  if (withBackend) {
    out.push(`    def test_backend_name(self):`, `        import cloaca`, ``);
    out.push(`        assert cloaca.__backend__ in ("postgres", "sqlite")`, ``);
  }
  let any = withBackend;
  for (const n of names) {
    if (skip.has(n)) continue;
    any = true;
    out.push(`    def test_${n.toLowerCase()}_exists(self):`, `        import cloaca`, ``);
    out.push(`        assert cloaca.${n} is not None`, ``);
  }
  if (!any) out.push(`    pass`, ``);
  return out.join("\n");
}

const CARGO_TEMPLATE = `[package]
name = "cloaca_{{backend}}"
version = "0.1.0"
edition = "2021"

[lib]
name = "cloaca_{{backend}}"
crate-type = ["cdylib"]

[dependencies]
pyo3 = { version = "0.22", features = ["extension-module"] }
serde = { version = "1", features = ["derive"] }
tracing = "0.1"

[features]
postgres = []
sqlite = []
`;

const PYPROJECT_TEMPLATE = `[build-system]
requires = ["maturin>=1.5,<2.0"]
build-backend = "maturin"

[project]
name = "cloaca_{{backend}}"
version = "0.1.0"
requires-python = ">=3.9"

[tool.maturin]
features = ["{{backend}}"]
module-name = "cloaca_{{backend}}"
python-source = "python"
`;

const TASK_CLOACA = `"""Build and test tasks for the cloaca backends."""
import subprocess
from pathlib import Path

import angreal

project_root = Path(angreal.get_root()).parent


def _build_and_install_cloaca_backend(backend_name):
    backend_dir = project_root / "cloaca-backend"
    subprocess.run(["maturin", "build", "--release"], cwd=backend_dir, check=True)

    wheel_pattern = f"cloaca_{backend_name}-*.whl"
    wheel_dir = backend_dir / "target" / "wheels"
    wheels = sorted(wheel_dir.glob(wheel_pattern))
    if not wheels:
        raise RuntimeError(f"no wheel matching {wheel_pattern} in {wheel_dir}")
    subprocess.run(["pip", "install", "--force-reinstall", str(wheels[-1])], check=True)
`;

// ---------------------------------------------------------------- entry point

function prepareRoot(root: string): void {
  if (fs.existsSync(root)) {
    const entries = fs.readdirSync(root);
    if (entries.length > 0) {
      if (!entries.includes(MARKER_FILE)) {
        throw new Error(`${root} is not empty and was not written by generateWorkspace`);
      }
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  fs.mkdirSync(root, { recursive: true });
}

export function generateWorkspace(root: string, options: GenerateOptions): GeneratedWorkspace {
  const { rustFiles, bindingFiles, symbols, seed } = options;
  const gapCount = options.gaps ?? 0;
  if (!Number.isInteger(rustFiles) || rustFiles < 1) throw new Error("rustFiles must be >= 1");
  if (!Number.isInteger(bindingFiles) || bindingFiles < 0 || bindingFiles > rustFiles - 1) {
    throw new Error("bindingFiles must be between 0 and rustFiles - 1 (lib.rs holds no bindings)");
  }
  if (!Number.isInteger(symbols) || symbols < 0) throw new Error("symbols must be >= 0");
  if (symbols > 0 && bindingFiles === 0) throw new Error("symbols need at least one binding file");
  if (!Number.isInteger(gapCount) || gapCount < 0 || gapCount > symbols) {
    throw new Error("gaps must be between 0 and symbols");
  }

  const rng = mulberry32(seed);
  // A separate stream for gaps: the rest of the workspace does not depend on `gaps`.
  const gapRng = mulberry32((seed ^ 0x9e3779b9) >>> 0);

  const nodes = buildTree(rng, rustFiles - 1);
  const bindingNodes = sample(rng, nodes.length - 1, bindingFiles)
    .map((i) => nodes[i + 1])
    .sort((a, b) => a.index - b.index);
  for (const n of bindingNodes) {
    n.binding = true;
    for (let p: ModNode | null = n; p; p = p.parent) p.publicPath = true;
  }
  const perFile = planSymbols(rng, bindingNodes, symbols);
  const all = perFile.flat();
  const names = all.map((s) => s.pyName);

  // Gaps: distinct symbols, rules cycled from a random start.
  const crate = "cloaca-backend";
  const wrapperPath = `${crate}/python/cloaca_{{backend}}/__init__.py`;
  const dispatcherPath = "cloaca/src/cloaca/__init__.py";
  const testCount = Math.max(1, Math.min(options.testFiles ?? Math.min(100, Math.ceil(symbols / 200)), Math.max(1, symbols)));
  const testGroups: string[][] = Array.from({ length: testCount }, () => []);
  names.forEach((n, i) => testGroups[Math.floor((i * testCount) / Math.max(1, names.length))].push(n));
  const testPath = (i: number) => `python-tests/test_bindings_${String(i).padStart(3, "0")}.py`;
  const testOf = new Map<string, number>();
  testGroups.forEach((g, i) => g.forEach((n) => testOf.set(n, i)));

  const skip: Record<(typeof GAP_RULES)[number], Set<string>> = {
    "missing-registration": new Set(),
    "missing-wrapper-import": new Set(),
    "missing-reexport": new Set(),
    "missing-test": new Set(),
    "missing-dunder-all": new Set(),
  };
  const gaps: GeneratedGap[] = [];
  if (gapCount > 0) {
    const start = Math.floor(gapRng() * GAP_RULES.length);
    sample(gapRng, all.length, gapCount).forEach((si, g) => {
      const s = all[si];
      const rule = GAP_RULES[(start + g) % GAP_RULES.length];
      skip[rule].add(s.pyName);
      let file: string;
      let removed: string;
      switch (rule) {
        case "missing-registration":
          file = `${crate}/${s.node.file}`;
          removed = registrationLine(s);
          break;
        case "missing-wrapper-import":
          file = wrapperPath;
          removed = `${s.pyName},`;
          break;
        case "missing-dunder-all":
          file = wrapperPath;
          removed = `"${s.pyName}",`;
          break;
        case "missing-reexport":
          file = dispatcherPath;
          removed = `if hasattr(_backend_module, "${s.pyName}"):`;
          break;
        case "missing-test":
          file = testPath(testOf.get(s.pyName)!);
          removed = `assert cloaca.${s.pyName} is not None`;
          break;
      }
      gaps.push({ rule, symbol: s.pyName, file, removed });
    });
  }

  // Build every file's text first, then write.
  const files: [string, string][] = [];
  const bindingIndex = new Map<ModNode, number>();
  bindingNodes.forEach((n, i) => bindingIndex.set(n, i));
  files.push([`${crate}/src/lib.rs`, libRs(rng, nodes[0], bindingNodes)]);
  for (let i = 1; i < nodes.length; i++) {
    const n = nodes[i];
    const text = n.binding
      ? bindingFile(rng, n, perFile[bindingIndex.get(n)!], skip["missing-registration"])
      : plainFile(rng, n);
    files.push([`${crate}/${n.file}`, text]);
  }
  files.push([wrapperPath, wrapperTemplate(names, skip["missing-wrapper-import"], skip["missing-dunder-all"])]);
  files.push([dispatcherPath, dispatcher(names, skip["missing-reexport"])]);
  testGroups.forEach((g, i) => files.push([testPath(i), testFile(i, g, skip["missing-test"], i === 0)]));
  files.push([".angreal/templates/backend_cargo.toml.j2", CARGO_TEMPLATE]);
  files.push([".angreal/templates/backend_pyproject.toml.j2", PYPROJECT_TEMPLATE]);
  files.push([".angreal/task_cloaca.py", TASK_CLOACA]);
  files.push([MARKER_FILE, `seed=${seed} rustFiles=${rustFiles} bindingFiles=${bindingFiles} symbols=${symbols} gaps=${gapCount}\n`]);

  prepareRoot(root);
  const made = new Set<string>();
  let bytes = 0;
  for (const [rel, text] of files) {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text, "utf8");
  }
  return { root, files: files.length, symbols: all.length, bytes, gaps };
}
