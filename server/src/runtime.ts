import * as v8 from 'v8';

/**
 * V8 settings for the processes that check (the CLI, the language server);
 * their parse workers share them. Called first thing at process start.
 *
 * `--no-use-osr`: no on-stack replacement, i.e. no optimized compile of a
 * function while a long loop of it runs. The hot loops here are per-file scans
 * and walks, called once for every file: they get optimized by their next
 * calls all the same. The extra compiles that on-stack replacement started
 * (a few per function and thread, of the biggest functions) took about 0.3 s
 * of CPU in a cold check of the benchmark's workspace, competing with the
 * parse workers for the cores. The benchmark's floor process runs with the
 * same settings.
 */
export function tuneRuntime(): void {
  v8.setFlagsFromString('--no-use-osr');
}
