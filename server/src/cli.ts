import * as fs from 'fs';
import * as path from 'path';
import { checkAhead, runChecks } from './engine';
import { fixAll } from './fixes/fix-all';
import { ParsePool } from './index/parse-pool';
import { loadWorkspacePrepared, prepareFacts } from './index/prepare';
import { ConfigError } from './layout/config';
import { loadConfig } from './layout/load-config';
import { formatJson, formatSarif, formatText, locate } from './output/format';
import { findGrammarsDir, Parsers } from './parsing/parsers';
import { tuneRuntime } from './runtime';

const VERSION = '0.1.0';

const USAGE = `usage: bindings-checklist check [PATH] [--format text|json|sarif] [--fix] [--config FILE]

Checks that every PyO3 symbol reaches Python users: registered in every
#[pymodule] variant, imported by the wrapper and listed in __all__,
re-exported by the dispatcher, tested; and that the build configuration's
names agree.

  PATH             workspace root (default: the current folder)
  --format FORMAT  text (default), json or sarif
  --fix            apply every safe fix, then report what is left
  --config FILE    configuration file (default: bindings-checklist.toml, or
                   [tool.bindings-checklist] in PATH/pyproject.toml)

Exit status: 0 no error findings, 1 error findings, 2 usage or configuration error.`;

interface Args {
  root: string;
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  config?: string;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args | 'help' | 'version' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version') || argv.includes('-V')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'check') throw new UsageError(command ? `unknown command \`${command}\`` : 'missing command');
  const args: Args = { root: '.', format: 'text', fix: false };
  let rootSet = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (name: string) => {
      const eq = arg.indexOf('=');
      if (eq >= 0) return arg.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (arg === '--fix') args.fix = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format \`${f}\` (text, json or sarif)`);
      args.format = f;
    } else if (arg === '--config' || arg.startsWith('--config=')) args.config = value('--config');
    else if (arg.startsWith('-')) throw new UsageError(`unknown option \`${arg}\``);
    else if (!rootSet) {
      args.root = arg;
      rootSet = true;
    } else throw new UsageError(`unexpected argument \`${arg}\``);
  }
  return args;
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`bindings-checklist: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    out(USAGE + '\n');
    return 0;
  }
  if (args === 'version') {
    out(`bindings-checklist ${VERSION}\n`);
    return 0;
  }
  const root = path.resolve(args.root);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    err(`bindings-checklist: ${args.root} is not a folder\n`);
    return 2;
  }
  // Parse workers start first: they load their grammars while this thread loads its own and the
  // configuration, and then compute the facts the check asks for as the files come in.
  const grammars = findGrammarsDir();
  const pool = ParsePool.start(grammars);
  let result;
  let index;
  try {
    const parsers = await Parsers.load(grammars);
    let config;
    try {
      config = loadConfig(parsers, root, args.config);
    } catch (e) {
      if (e instanceof ConfigError) {
        err(`bindings-checklist: configuration error: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    // Most of the check is computed while the workers finish the Python files (`checkAhead`).
    const loaded = await loadWorkspacePrepared(root, parsers, config, pool, undefined, checkAhead(config));
    index = loaded.index;
    for (const s of loaded.skipped) err(`note: ${s.path}: ${s.reason}\n`);
    for (const file of index.files()) if (file.readonlyReason) err(`note: ${file.path}: ${file.readonlyReason}\n`);

    if (args.fix) {
      const { changed } = fixAll(index, config);
      for (const [file, text] of changed) fs.writeFileSync(path.join(root, file), text);
      if (changed.size) err(`fixed ${changed.size} file${changed.size === 1 ? '' : 's'}: ${[...changed.keys()].join(', ')}\n`);
      await prepareFacts(index, config, { pool });
    }
    result = runChecks(index, config);
  } finally {
    await pool.close();
  }
  for (const why of new Set(pool.failures)) err(`note: a parse worker failed (${why}); its files were parsed on the main thread\n`);
  for (const p of index.problems()) {
    const pos = index.get(p.file)!.lines().positionAt(p.span.start);
    err(`note: ${p.file}:${pos.line + 1}:${pos.character + 1}: ${p.message} (the rest of the file was checked)\n`);
  }
  if (!result.chains.length) err('note: no #[pymodule] found in any crate under this folder: nothing to check\n');
  const located = result.findings.map((f) => locate(index, f));
  if (args.format === 'json') out(formatJson(located));
  else if (args.format === 'sarif') out(formatSarif(located, root, VERSION));
  else out(formatText(result, located));
  return located.some((f) => f.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  tuneRuntime();
  main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`bindings-checklist: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
