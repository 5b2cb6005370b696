import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GAP_RULES, GenerateOptions, generateWorkspace } from "../bench/generate";

const SMALL: GenerateOptions = { rustFiles: 50, bindingFiles: 10, symbols: 200, seed: 7 };

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else out.push(path.relative(root, abs).split(path.sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

function snapshot(root: string): Map<string, string> {
  return new Map(listFiles(root).map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));
}

/** Files reachable from lib.rs through `mod x;` declarations (paths relative to the crate). */
function reachableModules(crate: string): Set<string> {
  const seen = new Set<string>();
  const queue = ["src/lib.rs"];
  const decl = /^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+([A-Za-z_][A-Za-z0-9_]*)\s*;/gm;
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(crate, file), "utf8");
    const base = path.posix.basename(file);
    const dir =
      base === "lib.rs" || base === "mod.rs"
        ? path.posix.dirname(file)
        : `${path.posix.dirname(file)}/${base.slice(0, -3)}`;
    for (const m of text.matchAll(decl)) {
      const flat = `${dir}/${m[1]}.rs`;
      const nested = `${dir}/${m[1]}/mod.rs`;
      const hasFlat = fs.existsSync(path.join(crate, flat));
      const hasNested = fs.existsSync(path.join(crate, nested));
      assert.ok(hasFlat !== hasNested, `mod ${m[1]} in ${file} must resolve to exactly one file`);
      queue.push(hasFlat ? flat : nested);
    }
  }
  return seen;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("bench workspace generator", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-generate-"));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("writes the requested numbers of files and symbols in the seed's layout", () => {
    const root = path.join(tmp, "a");
    const result = generateWorkspace(root, SMALL);
    assert.equal(result.symbols, 200);
    assert.deepEqual(result.gaps, []);
    const files = listFiles(root);
    assert.equal(result.files, files.length);
    assert.equal(result.bytes, files.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0));

    const rust = files.filter((f) => f.endsWith(".rs"));
    assert.equal(rust.length, 50);
    assert.ok(rust.every((f) => f.startsWith("cloaca-backend/src/")));
    const crate = path.join(root, "cloaca-backend");
    const binding = rust.filter((f) => /pub fn register\(m: &Bound<'_, PyModule>\)/.test(fs.readFileSync(path.join(root, f), "utf8")));
    assert.equal(binding.length, 10);

    for (const f of [
      "cloaca-backend/python/cloaca_{{backend}}/__init__.py",
      "cloaca/src/cloaca/__init__.py",
      ".angreal/templates/backend_cargo.toml.j2",
      ".angreal/templates/backend_pyproject.toml.j2",
      ".angreal/task_cloaca.py",
    ]) {
      assert.ok(files.includes(f), `${f} is written`);
    }
    assert.ok(!files.includes("cloaca-backend/Cargo.toml"));

    const lib = fs.readFileSync(path.join(crate, "src/lib.rs"), "utf8");
    for (const backend of ["postgres", "sqlite"]) {
      assert.match(lib, new RegExp(`#\\[cfg\\(feature = "${backend}"\\)\\]\\s*fn cloaca_${backend}\\(m: &Bound<'_, PyModule>\\) -> PyResult<\\(\\)>`));
      assert.ok(lib.includes(`m.add("__backend__", "${backend}")?;`));
    }
    assert.equal((lib.match(/::register\(m\)\?;/g) ?? []).length, 20);

    // Every Python name: declared once, imported, listed in __all__, re-exported and tested.
    const wrapper = fs.readFileSync(path.join(root, "cloaca-backend/python/cloaca_{{backend}}/__init__.py"), "utf8");
    const imported = wrapper.slice(wrapper.indexOf("import (") + 8, wrapper.indexOf(")")).split(/[\s,]+/).filter(Boolean);
    assert.equal(imported.length, 201);
    assert.equal(new Set(imported).size, 201);
    assert.equal(imported[imported.length - 1], "__backend__");
    const dispatcherText = fs.readFileSync(path.join(root, "cloaca/src/cloaca/__init__.py"), "utf8");
    const tests = files.filter((f) => /^python-tests\/test_.*\.py$/.test(f)).map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\n");
    for (const name of imported) {
      assert.ok(wrapper.includes(`    "${name}",\n`), `${name} in __all__`);
      assert.ok(dispatcherText.includes(`if hasattr(_backend_module, "${name}"):\n    ${name} = _backend_module.${name}\n`), `${name} re-exported`);
      assert.match(tests, new RegExp(`cloaca\\.${escape(name)}\\b`), `${name} tested`);
    }
    const rustText = rust.map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\n");
    const declared = (rustText.match(/#\[pyclass|#\[pyfunction\]/g) ?? []).length;
    assert.equal(declared, 200);
  });

  it("reaches every Rust file through mod declarations, mixing mod.rs and non-mod.rs styles", () => {
    const root = path.join(tmp, "b");
    generateWorkspace(root, SMALL);
    const crate = path.join(root, "cloaca-backend");
    const rust = listFiles(crate).filter((f) => f.endsWith(".rs"));
    const reached = reachableModules(crate);
    assert.deepEqual([...reached].sort(), rust);
    assert.ok(rust.some((f) => f.endsWith("/mod.rs")), "some mod.rs modules");
    assert.ok(
      rust.some((f) => !f.endsWith("/mod.rs") && rust.some((g) => g.startsWith(f.slice(0, -3) + "/"))),
      "some non-mod.rs modules with children",
    );
    assert.ok(rust.some((f) => f.split("/").length >= 5), "several levels deep");
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = path.join(tmp, "c1");
    const b = path.join(tmp, "c2");
    const c = path.join(tmp, "c3");
    generateWorkspace(a, SMALL);
    generateWorkspace(b, SMALL);
    generateWorkspace(c, { ...SMALL, seed: 8 });
    assert.deepEqual(snapshot(a), snapshot(b));
    assert.notDeepEqual(snapshot(a), snapshot(c));
    // Regenerating into a directory it wrote before replaces it.
    generateWorkspace(a, { ...SMALL, seed: 8 });
    assert.deepEqual(snapshot(a), snapshot(c));
  });

  it("refuses to write into a foreign non-empty directory", () => {
    const root = path.join(tmp, "foreign");
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, "keep.txt"), "x");
    assert.throws(() => generateWorkspace(root, SMALL), /not empty/);
    assert.ok(fs.existsSync(path.join(root, "keep.txt")));
  });

  it("removes exactly the reported links when gaps are requested", () => {
    const full = path.join(tmp, "d0");
    const gapped = path.join(tmp, "d1");
    generateWorkspace(full, SMALL);
    const result = generateWorkspace(gapped, { ...SMALL, gaps: 3 });
    assert.equal(result.gaps.length, 3);
    assert.equal(new Set(result.gaps.map((g) => g.symbol)).size, 3);
    for (const gap of result.gaps) {
      assert.ok((GAP_RULES as readonly string[]).includes(gap.rule), gap.rule);
      const before = fs.readFileSync(path.join(full, gap.file), "utf8").split("\n").map((l) => l.trim());
      const after = fs.readFileSync(path.join(gapped, gap.file), "utf8").split("\n").map((l) => l.trim());
      assert.ok(before.includes(gap.removed), `${gap.removed} present without gaps`);
      assert.ok(!after.includes(gap.removed), `${gap.removed} missing from ${gap.file}`);
      if (gap.rule === "missing-test") {
        const tests = listFiles(path.join(gapped, "python-tests"))
          .map((f) => fs.readFileSync(path.join(gapped, "python-tests", f), "utf8"))
          .join("\n");
        assert.doesNotMatch(tests, new RegExp(`\\b${escape(gap.symbol)}\\b`));
      }
      if (gap.rule === "missing-reexport") {
        const text = fs.readFileSync(path.join(gapped, gap.file), "utf8");
        assert.doesNotMatch(text, new RegExp(`\\b${escape(gap.symbol)}\\b`));
      }
    }
    // Apart from the removed lines (and the marker), both workspaces are identical.
    const s0 = snapshot(full);
    const s1 = snapshot(gapped);
    assert.deepEqual([...s0.keys()], [...s1.keys()]);
    let removedLines = 0;
    for (const [f, text] of s0) {
      if (f === ".generated-workspace") continue;
      removedLines += text.split("\n").length - s1.get(f)!.split("\n").length;
    }
    assert.ok(removedLines >= 3);

    // Five gaps or more cover every rule.
    const many = generateWorkspace(path.join(tmp, "d2"), { ...SMALL, gaps: 5 });
    assert.deepEqual(new Set(many.gaps.map((g) => g.rule)), new Set(GAP_RULES));
  });
});
