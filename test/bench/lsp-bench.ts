/**
 * The editor's figures: the language server (`dist/server.js --stdio`) driven
 * over JSON-RPC on a copy of the generated workspace whose
 * `cloaca-backend/src/lib.rs` is grown to 5,000 lines of ordinary Rust.
 *
 * 1. Copy: `<workspace>-editor` next to the generated workspace (the CLI
 *    benchmark's folder is not touched). lib.rs gets deterministic non-binding
 *    Rust appended (structs, impls, functions with bodies) up to LIB_LINES
 *    lines. A copy whose marker names the same source and size is reused.
 * 2. Start-up: `initialize` with the folder, `initialized`; the time until the
 *    first complete set of diagnostics (see `firstComplete` below). Then the
 *    server's memory from /proc/<pid>/status (VmRSS, VmHWM).
 * 3. Typing: lib.rs opened (didOpen), then TYPED_KEYS keystrokes, one character
 *    each, inside a function body, followed by a registration line of the
 *    sqlite #[pymodule] deleted and restored twice. Each is one didChange with
 *    the next version; its latency is the time from sending it to receiving
 *    `publishDiagnostics` for lib.rs carrying that version. The next keystroke
 *    is sent only once that arrived, so every figure is the latency of one
 *    isolated edit (debounce included), not of a burst.
 *
 * Timings are reported, never asserted. A binding edit that does not change
 * lib.rs's diagnostics as it must is a wrong answer and is reported as such.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection, Diagnostic, InitializeRequest, ProtocolConnection, PublishDiagnosticsNotification,
  StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { SERVER_ENVIRONMENT, SERVER_NODE_OPTIONS, StatusNotification } from '../../server/src/protocol';
import { mulberry32 } from './generate';

/** The editor's targets. */
export const TARGET_KEYSTROKE_P95_MS = 50;
export const TARGET_RSS_MB = 200;

/** Lines of lib.rs in the editor's copy. */
export const LIB_LINES = 5000;
/** Character keystrokes; the binding edits come after them. */
const TYPED_KEYS = 56;
/** Delete / restore a registration line, twice. */
const BINDING_EDITS = 4;
const LIB = 'cloaca-backend/src/lib.rs';
/** Written into the copy: what it was made from. Has no indexed extension. */
const EDITOR_MARKER = '.editor-workspace';
/** Bumped whenever the appended Rust changes, so older copies are rebuilt. */
const FILLER_VERSION = 1;

const START_TIMEOUT_MS = 15 * 60_000;
const KEY_TIMEOUT_MS = 5 * 60_000;

export interface EditorBenchOptions {
  /** The generated workspace (its marker file names the generator options). */
  source: string;
  /** Where the editor's copy goes. */
  dir: string;
  markerFile: string;
  /** `dist/server.js`. */
  server: string;
  /** When set: the server runs with --cpu-prof, profiles written here. */
  cpuProfDir?: string;
}

export interface KeystrokeResult {
  version: number;
  kind: 'type' | 'delete-registration' | 'restore-registration';
  ms: number;
  /** Server CPU time (user + system) between sending and receiving, in ms (10 ms resolution). */
  serverCpuMs: number;
  libDiagnostics: number;
}

export interface EditorReport {
  dir: string;
  reused: boolean;
  prepareMs: number;
  libLines: number;
  startup: {
    /** `initialized` sent → first `bindingsChecklist/status` `ready` (after the first publication round). */
    firstCompleteMs: number;
    /** `initialized` sent → first publishDiagnostics of any file. */
    firstPublishMs: number | null;
    /** What the server logged for indexing (reading the files), if it did. */
    indexedLog: string | null;
    files: number;
    symbols: number;
    problems: number;
    filesWithDiagnostics: number;
    diagnostics: number;
    serverCpuMs: number;
  };
  memory: {
    afterIndexing: { rssMiB: number; hwmMiB: number } | null;
    /** While indexing: the highest VmRSS of the server plus its parse worker processes, sampled every 50 ms. */
    indexingPeakMiB: number | null;
    afterTyping: { rssMiB: number; hwmMiB: number } | null;
  };
  keystrokes: KeystrokeResult[];
  latency: {
    all: Stats;
    typing: Stats;
    bindingEdits: Stats;
    serverCpuMedianMs: number;
  };
  /** Wrong answers: binding edits whose lib.rs diagnostics did not change as they must. */
  wrong: string[];
  targets: {
    keystrokeP95: { target: number; actual: number; pass: boolean };
    rssAfterIndexing: { target: number; actualMB: number | null; pass: boolean };
  };
  loadAverage: number[];
  cpuProfDir?: string;
}

export interface Stats {
  count: number;
  median: number;
  p95: number;
  max: number;
}

// ------------------------------------------------------------------ workspace copy


const NOUNS = ['lease', 'queue', 'tenant', 'window', 'cursor', 'batch', 'ledger', 'schedule', 'shard', 'bucket', 'journal', 'epoch', 'quota', 'route', 'ticket', 'span'];
const ROLES = ['Tracker', 'Buffer', 'Planner', 'Index', 'Budget', 'Table', 'Summary', 'Limiter', 'Cache', 'Window'];
const VERBS = ['score', 'merge', 'split', 'rank', 'fold', 'trim', 'count', 'scan', 'weigh', 'clamp'];

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** One unit of ordinary Rust: a struct, its impl and a free function. No PyO3 in it. */
function fillerUnit(rand: () => number, n: number): string[] {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const noun = pick(NOUNS);
  const type = `${cap(noun)}${pick(ROLES)}${n}`;
  const verb = pick(VERBS);
  const limit = 8 + Math.floor(rand() * 120);
  const factor = 2 + Math.floor(rand() * 9);
  const out = [
    `/// Bookkeeping for one ${noun}: entries, a limit and the last error seen.`,
    `#[derive(Debug, Clone, Default)]`,
    `pub struct ${type} {`,
    `    pub name: String,`,
    `    pub limit: usize,`,
    `    entries: Vec<(u64, String)>,`,
    `    last_error: Option<String>,`,
    `}`,
    ``,
    `impl ${type} {`,
    `    pub fn new(name: &str) -> Self {`,
    `        Self { name: name.to_string(), limit: ${limit}, entries: Vec::new(), last_error: None }`,
    `    }`,
    ``,
    `    pub fn push(&mut self, id: u64, label: &str) -> Result<usize, String> {`,
    `        if self.entries.len() >= self.limit {`,
    `            let message = format!("{}: limit {} reached", self.name, self.limit);`,
    `            self.last_error = Some(message.clone());`,
    `            return Err(message);`,
    `        }`,
    `        self.entries.push((id, label.to_owned()));`,
    `        Ok(self.entries.len())`,
    `    }`,
    ``,
    `    pub fn total(&self) -> u64 {`,
    `        let mut sum = 0u64;`,
    `        for (id, _) in &self.entries {`,
    `            sum = sum.wrapping_add(*id * ${factor});`,
    `        }`,
    `        sum`,
    `    }`,
  ];
  if (rand() < 0.5) {
    out.push(
      ``,
      `    pub fn labels(&self) -> Vec<&str> {`,
      `        let mut labels: Vec<&str> = self.entries.iter().map(|(_, l)| l.as_str()).collect();`,
      `        labels.sort_unstable();`,
      `        labels.dedup();`,
      `        labels`,
      `    }`,
    );
  }
  out.push(
    `}`,
    ``,
    `fn ${noun}_${verb}_${n}(values: &[i64], weight: i64) -> i64 {`,
    `    let mut best = i64::MIN;`,
    `    for (i, v) in values.iter().enumerate() {`,
    `        let score = match i % 3 {`,
    `            0 => v * weight,`,
    `            1 => v - weight,`,
    `            _ => v / weight.max(1),`,
    `        };`,
    `        if score > best {`,
    `            best = score;`,
    `        }`,
    `    }`,
    `    best`,
    `}`,
    ``,
  );
  if (rand() < 0.3) {
    out.push(
      `#[cfg(test)]`,
      `mod ${noun}_tests_${n} {`,
      `    use super::*;`,
      ``,
      `    #[test]`,
      `    fn ${verb}_prefers_the_largest() {`,
      `        assert_eq!(${noun}_${verb}_${n}(&[1, 2, 3], 1), ${noun}_${verb}_${n}(&[1, 2, 3], 1));`,
      `    }`,
      `}`,
      ``,
    );
  }
  return out;
}

/** lib.rs grown to exactly `lines` lines (counting a final newline as ending the last line). */
export function growLibRs(text: string, lines: number): string {
  const base = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const rand = mulberry32(0x5eed + lines);
  const out = [...base, '', '// ---- ordinary Rust beside the modules ----', ''];
  for (let n = 0; ; n++) {
    const unit = fillerUnit(rand, n);
    if (out.length + unit.length > lines) break;
    out.push(...unit);
  }
  for (let n = 0; out.length < lines; n++) out.push(`pub const DEFAULT_LIMIT_${n}: usize = ${64 + n};`);
  return out.slice(0, Math.max(lines, base.length)).join('\n') + '\n';
}

function copyWorkspace(o: EditorBenchOptions): { reused: boolean; ms: number } {
  const started = performance.now();
  const sourceMarker = fs.readFileSync(path.join(o.source, o.markerFile), 'utf8');
  const wanted = `${sourceMarker.trim()} libLines=${LIB_LINES} filler=${FILLER_VERSION}\n`;
  try {
    if (fs.readFileSync(path.join(o.dir, EDITOR_MARKER), 'utf8') === wanted) return { reused: true, ms: 0 };
  } catch {
    // no copy yet
  }
  if (fs.existsSync(o.dir)) {
    const entries = fs.readdirSync(o.dir);
    if (entries.length && !entries.includes(EDITOR_MARKER)) throw new Error(`${o.dir} is not empty and is not an editor copy of a generated workspace`);
    fs.rmSync(o.dir, { recursive: true, force: true });
  }
  fs.cpSync(o.source, o.dir, { recursive: true });
  const lib = path.join(o.dir, LIB);
  fs.writeFileSync(lib, growLibRs(fs.readFileSync(lib, 'utf8'), LIB_LINES));
  fs.writeFileSync(path.join(o.dir, EDITOR_MARKER), wanted);
  return { reused: false, ms: performance.now() - started };
}

// ------------------------------------------------------------------ the server

/** VmRSS and VmHWM of a process, in MiB (Linux only). */
function procMemory(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * Samples, every 50 ms until stopped, the VmRSS of a process plus that of its
 * child processes (the language server's parse workers while it indexes);
 * `stop()` gives the highest sum seen, in MiB (null without /proc).
 */
function sampleTreeRss(pid: number): { stop(): number | null } {
  let peak: number | null = null;
  const sample = () => {
    const own = procMemory(pid);
    if (!own) return;
    let sum = own.rssMiB;
    try {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) sum += procMemory(Number(child))?.rssMiB ?? 0;
    } catch {
      // no children file: the server alone
    }
    peak = Math.max(peak ?? 0, sum);
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of a process, in ms (Linux only, 0 elsewhere). */
function procCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime, and cutime + cstime: the parse workers' child processes, once they ended.
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS;
  } catch {
    return 0;
  }
}

type Waiter = () => void;

class EditorClient {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  /** Latest publication per URI, with its arrival time. */
  readonly published = new Map<string, { version?: number; diagnostics: Diagnostic[]; at: number }>();
  firstPublishAt?: number;
  status?: StatusNotification.Params;
  firstReadyAt?: number;
  logs: string[] = [];
  stderr = '';
  exited = false;
  private waiters: Waiter[] = [];

  constructor(server: string, cpuProfDir: string | undefined) {
    // Started as the extension starts it.
    const nodeArgs = [...SERVER_NODE_OPTIONS, ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [])];
    this.child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...SERVER_ENVIRONMENT } });
    this.child.stderr!.on('data', (d) => (this.stderr = (this.stderr + d).slice(-8000)));
    this.child.on('exit', () => {
      this.exited = true;
      this.wake();
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const at = performance.now();
      this.firstPublishAt ??= at;
      this.published.set(p.uri, { version: p.version, diagnostics: p.diagnostics, at });
      this.wake();
    });
    this.connection.onNotification(StatusNotification.type, (p) => {
      this.status = p;
      if (p.state === 'ready') this.firstReadyAt ??= performance.now();
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.connection.onError(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid!;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs: number): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value) return value;
      if (this.exited) throw new Error(`the server exited while waiting for ${what}\n${this.stderr}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** shutdown + exit (so a --cpu-prof profile gets written), then a kill if it is still there. */
  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        await this.connection.sendNotification('exit');
      } catch {
        // gone already
      }
      await Promise.race([new Promise<void>((r) => (this.exited ? r() : this.child.once('exit', () => r()))), new Promise((r) => setTimeout(r, 10000))]);
    }
    this.connection.dispose();
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

// ------------------------------------------------------------------ the benchmark

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank percentile.
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, median: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1] ?? 0 };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runEditorBench(o: EditorBenchOptions): Promise<EditorReport> {
  const copy = copyWorkspace(o);
  const libText = fs.readFileSync(path.join(o.dir, LIB), 'utf8');
  const libLines = libText.split('\n').length - (libText.endsWith('\n') ? 1 : 0);
  const rootUri = pathToFileURL(o.dir).toString();
  const libUri = pathToFileURL(path.join(o.dir, LIB)).toString();
  if (o.cpuProfDir) fs.mkdirSync(o.cpuProfDir, { recursive: true });

  const load0 = os.loadavg()[0];
  const client = new EditorClient(o.server, o.cpuProfDir);
  const killOnExit = () => client.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(o.dir) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        },
      },
    });

    // Start-up. The server sends `bindingsChecklist/status` with state
    // `indexing` while it reads the files; once they are read it checks the
    // folder, publishes the diagnostics of every file with findings and only
    // then sends the status again, with state `ready` and the number of
    // problems. "Complete" is that first `ready` status; it must count as
    // many problems as the diagnostics published before it.
    const cpuStart = procCpuMs(client.pid);
    const initializedAt = performance.now();
    const treeRss = sampleTreeRss(client.pid);
    await client.connection.sendNotification('initialized', {});
    await client.waitFor('the first complete set of diagnostics', () => client.firstReadyAt !== undefined, START_TIMEOUT_MS);
    const firstCompleteMs = client.firstReadyAt! - initializedAt;
    const startCpu = procCpuMs(client.pid) - cpuStart;
    const afterIndexing = procMemory(client.pid);
    const indexingPeakMiB = treeRss.stop();
    const status = client.status!;
    const diagnostics = [...client.published.values()].reduce((n, p) => n + p.diagnostics.length, 0);
    const filesWithDiagnostics = [...client.published.values()].filter((p) => p.diagnostics.length).length;
    if (diagnostics !== status.problems) throw new Error(`the first ready status counts ${status.problems} problems, ${diagnostics} diagnostics were published before it`);
    const baseline = client.published.get(libUri)?.diagnostics.length ?? 0;
    // The server publishes only files with findings (and empty lists for files that had some): lib.rs must have some to be timed.
    if (!baseline) throw new Error('lib.rs has no diagnostics after start-up: the server would not republish it per keystroke (the workspace needs a missing-registration gap)');

    // Typing.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: libUri, languageId: 'rust', version: 1, text: libText } });
    await client.waitFor('lib.rs diagnostics for the opened buffer', () => client.published.get(libUri)?.version === 1, KEY_TIMEOUT_MS);
    const lines = libText.split('\n');
    // Inside the body of a function of the appended code, about two thirds down the file.
    let typeLine = lines.findIndex((l, i) => i > (2 * lines.length) / 3 && l === '    let mut best = i64::MIN;');
    if (typeLine < 0) throw new Error('no function body to type into in lib.rs');
    typeLine += 1;
    // A registration line of the second (sqlite) #[pymodule]: before the typing position, so typing does not move it.
    const sqlite = lines.findIndex((l) => l.startsWith('fn cloaca_sqlite('));
    const regLine = lines.findIndex((l, i) => i > sqlite && /^\s+crate::.*::register\(m\)\?;$/.test(l));
    if (sqlite < 0 || regLine < 0 || regLine >= typeLine) throw new Error('no registration line in the sqlite #[pymodule] of lib.rs');
    const registration = lines[regLine] + '\n';

    const typed = ('\n        let retry_budget = weight.abs() * 2 + values.len() as i64 + 1;').slice(0, TYPED_KEYS);
    const keystrokes: KeystrokeResult[] = [];
    const wrong: string[] = [];
    let version = 1;
    let line = typeLine - 1;
    let character = lines[typeLine - 1].length;
    const send = async (kind: KeystrokeResult['kind'], change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }) => {
      const v = ++version;
      const cpu0 = procCpuMs(client.pid);
      const sent = performance.now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: libUri, version: v }, contentChanges: [change] });
      const got = await client.waitFor(`lib.rs diagnostics for version ${v}`, () => {
        const p = client.published.get(libUri);
        return p?.version === v ? p : undefined;
      }, KEY_TIMEOUT_MS);
      const result = { version: v, kind, ms: got.at - sent, serverCpuMs: procCpuMs(client.pid) - cpu0, libDiagnostics: got.diagnostics.length };
      keystrokes.push(result);
      return result;
    };
    for (const ch of typed) {
      const at = { line, character };
      await send('type', { range: { start: at, end: at }, text: ch });
      if (ch === '\n') {
        line++;
        character = 0;
      } else character++;
    }
    for (let i = 0; i < BINDING_EDITS / 2; i++) {
      const removed = await send('delete-registration', { range: { start: { line: regLine, character: 0 }, end: { line: regLine + 1, character: 0 } }, text: '' });
      if (removed.libDiagnostics <= baseline) wrong.push(`deleting \`${registration.trim()}\` from cloaca_sqlite left ${removed.libDiagnostics} diagnostics in lib.rs (before: ${baseline})`);
      const restored = await send('restore-registration', { range: { start: { line: regLine, character: 0 }, end: { line: regLine, character: 0 } }, text: registration });
      if (restored.libDiagnostics !== baseline) wrong.push(`restoring \`${registration.trim()}\` left ${restored.libDiagnostics} diagnostics in lib.rs (before: ${baseline})`);
    }
    const afterTyping = procMemory(client.pid);
    const load1 = os.loadavg()[0];

    const all = stats(keystrokes.map((k) => k.ms));
    const rssMB = afterIndexing ? (afterIndexing.rssMiB * 1024 * 1024) / 1e6 : null;
    const indexedLog = client.logs.find((l) => / indexed \d+ files in \d+ ms/.test(l)) ?? null;
    const mem = (m: { rssMiB: number; hwmMiB: number } | null) => (m ? { rssMiB: round(m.rssMiB), hwmMiB: round(m.hwmMiB) } : null);
    const rounded = (s: Stats): Stats => ({ count: s.count, median: round(s.median), p95: round(s.p95), max: round(s.max) });
    return {
      dir: o.dir,
      reused: copy.reused,
      prepareMs: round(copy.ms),
      libLines,
      startup: {
        firstCompleteMs: round(firstCompleteMs),
        firstPublishMs: client.firstPublishAt !== undefined ? round(client.firstPublishAt - initializedAt) : null,
        indexedLog: indexedLog?.replace(o.dir, '<folder>') ?? null,
        files: status.files,
        symbols: status.symbols,
        problems: status.problems,
        filesWithDiagnostics,
        diagnostics,
        serverCpuMs: startCpu,
      },
      memory: { afterIndexing: mem(afterIndexing), afterTyping: mem(afterTyping), indexingPeakMiB: indexingPeakMiB === null ? null : round(indexingPeakMiB) },
      keystrokes: keystrokes.map((k) => ({ ...k, ms: round(k.ms) })),
      latency: {
        all: rounded(all),
        typing: rounded(stats(keystrokes.filter((k) => k.kind === 'type').map((k) => k.ms))),
        bindingEdits: rounded(stats(keystrokes.filter((k) => k.kind !== 'type').map((k) => k.ms))),
        serverCpuMedianMs: stats(keystrokes.map((k) => k.serverCpuMs)).median,
      },
      wrong,
      targets: {
        keystrokeP95: { target: TARGET_KEYSTROKE_P95_MS, actual: round(all.p95), pass: all.p95 < TARGET_KEYSTROKE_P95_MS },
        rssAfterIndexing: { target: TARGET_RSS_MB, actualMB: rssMB === null ? null : round(rssMB), pass: rssMB !== null && rssMB < TARGET_RSS_MB },
      },
      loadAverage: [round(load0, 2), round(load1, 2)],
      cpuProfDir: o.cpuProfDir,
    };
  } finally {
    await client.stop();
    process.removeListener('exit', killOnExit);
  }
}

/** The editor's rows for the benchmark's table. */
export function editorRows(r: EditorReport): [string, string][] {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const pass = (b: boolean) => (b ? 'PASS' : 'MISS');
  const s = r.startup;
  const st = (x: Stats) => `median ${ms(x.median)}, p95 ${ms(x.p95)}, max ${ms(x.max)} (${x.count})`;
  const m = (x: { rssMiB: number; hwmMiB: number } | null) => (x ? `VmRSS ${x.rssMiB.toFixed(0)} MiB, VmHWM ${x.hwmMiB.toFixed(0)} MiB` : 'n/a (no /proc)');
  const rows: [string, string][] = [
    ['editor workspace', `${r.dir}${r.reused ? ' (reused)' : ` (copied in ${ms(r.prepareMs)})`}, lib.rs ${r.libLines} lines`],
    ['initialized -> complete', `${ms(s.firstCompleteMs)} (server CPU ${ms(s.serverCpuMs)}; first publish at ${s.firstPublishMs === null ? 'n/a' : ms(s.firstPublishMs)})`],
    ['  server log', s.indexedLog ?? 'none'],
    ['  first diagnostics', `${s.diagnostics} in ${s.filesWithDiagnostics} files; status: ${s.files} files, ${s.symbols} symbols, ${s.problems} problems`],
    ['server memory, indexed', m(r.memory.afterIndexing)],
    ['  with workers, indexing', r.memory.indexingPeakMiB === null ? 'n/a (no /proc)' : `peak ${r.memory.indexingPeakMiB.toFixed(0)} MiB (server and its parse worker processes, sampled)`],
    ['server memory, typed', m(r.memory.afterTyping)],
    ['keystroke -> diagnostics', st(r.latency.all)],
    ['  typing in a fn body', st(r.latency.typing)],
    ['  registration del/add', st(r.latency.bindingEdits)],
    ['  server CPU per key', `median ${ms(r.latency.serverCpuMedianMs)}`],
    ['  wrong answers', r.wrong.length ? r.wrong.join('; ') : 'none'],
    [`target: key p95 < ${r.targets.keystrokeP95.target} ms`, pass(r.targets.keystrokeP95.pass)],
    [`target: RSS < ${r.targets.rssAfterIndexing.target} MB`, `${pass(r.targets.rssAfterIndexing.pass)}${r.targets.rssAfterIndexing.actualMB === null ? '' : ` (${r.targets.rssAfterIndexing.actualMB.toFixed(0)} MB after indexing)`}`],
    ['editor load average', `${r.loadAverage.join(' -> ')}`],
  ];
  if (r.cpuProfDir) rows.push(['server CPU profile', r.cpuProfDir]);
  return rows;
}
