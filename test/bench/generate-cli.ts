/**
 * Writes a synthetic workspace in the seed's layout.
 *
 *   npx tsx test/bench/generate-cli.ts OUT_DIR [--rust-files N] [--binding-files N]
 *       [--symbols N] [--seed N] [--gaps N] [--test-files N] [--gaps-json FILE]
 *
 * Prints one summary line; with --gaps-json, also writes the removed links as JSON.
 */
import * as fs from "node:fs";
import { DEFAULT_OPTIONS, GenerateOptions, generateWorkspace } from "./generate";

const USAGE =
  "usage: generate-cli OUT_DIR [--rust-files N] [--binding-files N] [--symbols N] [--seed N] [--gaps N] [--test-files N] [--gaps-json FILE]";

function main(argv: string[]): number {
  const options: GenerateOptions = { ...DEFAULT_OPTIONS };
  let out: string | undefined;
  let gapsJson: string | undefined;
  const numeric: Record<string, keyof GenerateOptions> = {
    "--rust-files": "rustFiles",
    "--binding-files": "bindingFiles",
    "--symbols": "symbols",
    "--seed": "seed",
    "--gaps": "gaps",
    "--test-files": "testFiles",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      return 0;
    }
    if (arg === "--gaps-json") {
      gapsJson = argv[++i];
      if (!gapsJson) return usage(`${arg} needs a file`);
    } else if (arg in numeric) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value)) return usage(`${arg} needs an integer`);
      options[numeric[arg]] = value;
    } else if (arg.startsWith("-")) {
      return usage(`unknown option ${arg}`);
    } else if (out === undefined) {
      out = arg;
    } else {
      return usage(`unexpected argument ${arg}`);
    }
  }
  if (!out) return usage("OUT_DIR is required");

  const started = process.hrtime.bigint();
  let result;
  try {
    result = generateWorkspace(out, options);
  } catch (err) {
    console.error(`generate: ${(err as Error).message}`);
    return 2;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (gapsJson) fs.writeFileSync(gapsJson, JSON.stringify(result.gaps, null, 2) + "\n");
  const mb = (result.bytes / (1024 * 1024)).toFixed(1);
  console.log(
    `${out}: ${result.files} files (${options.rustFiles} Rust, ${options.bindingFiles} with bindings), ` +
      `${result.symbols} symbols, ${result.gaps.length} gaps, ${mb} MiB (${result.bytes} bytes) in ${ms.toFixed(0)} ms`,
  );
  return 0;
}

function usage(message: string): number {
  console.error(`generate: ${message}\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
