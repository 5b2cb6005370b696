import * as v8 from 'v8';

/**
 * V8 settings for the CLI (its parse workers share them), set first thing at
 * process start; the benchmark runs its check and its floor with them too.
 *
 * `--no-use-osr`: no on-stack replacement, i.e. no optimized compile of a
 * function while a long loop of it runs. The hot loops of a check are
 * per-file scans and walks, called once for every file: they get optimized by
 * their next calls all the same. The extra compiles that on-stack replacement
 * started (a few per function and thread, of the biggest functions) took
 * about 0.3 s of CPU in a cold check of the benchmark's workspace, competing
 * with the parse workers for the cores. Not for the language server: there a
 * keystroke runs a scan over one long file, and the first keystrokes in it
 * are quicker with on-stack replacement (the editor benchmark's p95 while
 * typing in a function body: 16 to 21 ms with it, 38 to 41 ms without).
 */
export function tuneRuntime(): void {
  v8.setFlagsFromString('--no-use-osr');
}
