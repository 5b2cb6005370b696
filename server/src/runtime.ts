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
 *
 * `--no-turbo-inlining`: optimized code does not inline the functions it
 * calls. A check's optimized compiles (about 260, of every thread's hot
 * functions, on V8's threads) then cost less, and the code they give runs
 * about as fast for these short calls: in alternating runs of the CLI on the
 * benchmark's workspace, 74 ms less wall time and 150 ms less CPU on average
 * (12 pairs; in three earlier batches of 5, 10 and 12 pairs with the flag
 * given on the command line, each batch's means pointed the same way).
 */
export function tuneRuntime(): void {
  v8.setFlagsFromString('--no-use-osr');
  v8.setFlagsFromString('--no-turbo-inlining');
}
