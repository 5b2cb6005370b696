// Bundles the CLI, the language server and the extension client into dist/,
// and copies the tree-sitter grammars (.wasm from their npm packages) and
// queries (grammars/*.scm) next to them.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const grammarsOut = path.join(dist, 'grammars');
fs.mkdirSync(grammarsOut, { recursive: true });
const wasm = {
  'tree-sitter.wasm': 'web-tree-sitter/tree-sitter.wasm',
  'tree-sitter-rust.wasm': 'tree-sitter-rust/tree-sitter-rust.wasm',
  'tree-sitter-python.wasm': 'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-toml.wasm': '@tree-sitter-grammars/tree-sitter-toml/tree-sitter-toml.wasm',
};
for (const [name, spec] of Object.entries(wasm)) {
  fs.copyFileSync(path.join(root, 'node_modules', spec), path.join(grammarsOut, name));
}
for (const file of fs.readdirSync(path.join(root, 'grammars'))) {
  if (file.endsWith('.scm')) fs.copyFileSync(path.join(root, 'grammars', file), path.join(grammarsOut, file));
}

const entries = [
  { in: 'server/src/cli.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'test/bench/bench.ts', out: 'bench' },
];
// web-tree-sitter's ESM build needs import.meta.url, which a CommonJS bundle
// lacks: always bundle its CommonJS build.
//
// Its JavaScript side passes every node to WebAssembly and back through
// getValue/setValue, whose 32-bit case goes through a DataView in
// little-endian order (the build supports big-endian hosts). On a
// little-endian host that is what the Int32Array view of the same memory
// reads and writes directly, which makes reading facts out of the trees
// about 15 % faster. Likewise the text tree-sitter reads goes into
// WebAssembly memory through stringToUTF16, one code unit at a time through
// the DataView: on a little-endian host Node.js's Buffer#write(.., 'utf16le')
// copies the same code units natively (a check of the benchmark's workspace:
// about 0.1 s less CPU in the parse workers). The bundle takes these paths on
// little-endian hosts only; a web-tree-sitter whose helpers read otherwise
// fails the build here.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    const file = path.join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs');
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: file }));
    build.onLoad({ filter: /[\\/]web-tree-sitter[\\/]tree-sitter\.cjs$/ }, () => ({ contents: fastHeapAccess(fs.readFileSync(file, 'utf8')), loader: 'js' }));
  },
};

/** web-tree-sitter's source with the 32-bit getValue/setValue on the Int32Array view and stringToUTF16 on Buffer#write (see above). */
function fastHeapAccess(source) {
  const patches = [
    ['function getValue(ptr, type = "i8") {', 'if (type === "i32" && LITTLE_ENDIAN_HOST) return HEAP32[ptr >> 2];'],
    ['function setValue(ptr, value, type = "i8") {', 'if (type === "i32" && LITTLE_ENDIAN_HOST) { HEAP32[ptr >> 2] = value; return; }'],
    [
      'var stringToUTF16 = /* @__PURE__ */ __name((str, outPtr, maxBytesToWrite) => {',
      'if (LITTLE_ENDIAN_HOST) { maxBytesToWrite ??= 2147483647; if (maxBytesToWrite < 2) return 0; if (HEAP_BYTES === undefined || HEAP_BYTES.buffer !== HEAPU8.buffer) HEAP_BYTES = Buffer.from(HEAPU8.buffer); var written = HEAP_BYTES.write(str, outPtr, (maxBytesToWrite - 2) & ~1, "utf16le"); HEAPU16[(outPtr + written) >> 1] = 0; return written; }',
    ],
  ];
  let out = source;
  for (const [head, fast] of patches) {
    if (out.split(head).length !== 2 || !/\bHEAP32 = new Int32Array\(/.test(out) || !/\bHEAPU16 = new Uint16Array\(/.test(out)) throw new Error(`web-tree-sitter: cannot find \`${head}\` (once) and its HEAP32 and HEAPU16 views to patch`);
    out = out.replace(head, `${head}\n${fast}`);
  }
  return `var LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;\nvar HEAP_BYTES;\n${out}`;
}
// The parse worker (server/src/index/parse-worker-main.ts), bundled first; its
// text goes into every other bundle as __PARSE_WORKER_SOURCE__, and the parse
// pool starts it from there, so no extra file has to ship next to them.
// (--watch: the worker's text is the one built at start.)
const worker = await esbuild.build({
  entryPoints: [path.join(root, 'server/src/index/parse-worker-main.ts')],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
  plugins: [webTreeSitterCjs],
});
const define = { __PARSE_WORKER_SOURCE__: JSON.stringify(worker.outputFiles[0].text) };
const contexts = [];
for (const entry of entries) {
  if (!fs.existsSync(path.join(root, entry.in))) continue;
  contexts.push(await esbuild.context({
    entryPoints: [path.join(root, entry.in)],
    outfile: path.join(dist, `${entry.out}.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    external: entry.external ?? [],
    banner: entry.banner ? { js: entry.banner } : undefined,
    logLevel: 'warning',
    plugins: [webTreeSitterCjs],
    define,
  }));
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}
