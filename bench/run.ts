/**
 * The benchmark runner: `npm run bench` (after `npm run build`) and `shieldlink bench`.
 *
 * Runs every part of the suite (bench/suite.ts), each in its own Node process, one after the
 * other; writes every figure to bench/results/latest.json as
 * `{ name, value, unit, baseline?, baselineValue?, goal?, met?, machine, group, part, mode,
 * measuredAt, notRun? }` and regenerates the table of docs/performance.md. Benchmarks are
 * measurements, never pass/fail tests: a missed goal is reported, not an error.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type BenchResult, notRunResult, toResult } from './bench-result.js';
import { describeMachine, machineLine, machineNow } from './machine.js';
import { nodeEntry, repoFile } from './node-entry.js';
import { isEntryPoint } from './part-main.js';
import { type PartOutcome, runPart } from './part-outcome.js';
import { updatePerformanceDoc } from './performance-doc.js';
import { type BenchPart, GROUPS, selectParts } from './suite.js';
import { alignColumns } from './text-table.js';

export const BENCH_HELP = `Usage: shieldlink bench [--quick | --long] [--only NAME]... [--out FILE] [--doc FILE | --no-doc]
       npm run bench -- [options]

Run the benchmark suite and report every figure beside its baseline, measured in the
same run, with the machine and its load: 1 loop, 2 codec, 3 capacity, 4 launch, 5 lockstep,
6 mqtt, 7 memory, 8 asterix, 9 realtime. Each part runs in its own process. Results go to bench/results/latest.json
(an --only run replaces just its parts' records there) and the table of docs/performance.md
is regenerated from that file (the text around the table is kept).

Options:
  --quick         a short version of everything (under 3 minutes; CI smoke run)
  --long          the full run plus the 10-minute memory soak
  --only NAME     run only this group or part (loop, codec, capacity, launch, lockstep, mqtt,
                  mqtt.broker, mqtt.loop, memory, asterix, realtime, realtime.sim, realtime.pty, fusion, joint);
                  repeat or comma-separate for several
  --out FILE      results file (default bench/results/latest.json)
  --doc FILE      document whose table to regenerate (default docs/performance.md)
  --no-doc        do not touch any document
  --in-process    run the parts in this process (faster start, figures less isolated)
  --json          print the records as one JSON array on stdout instead of the summary

Timing figures depend on the machine's load: for published figures run on an idle machine
(the load average and CPU pressure are recorded with every figure).

Exit codes: 0 every selected part ran (goals met or not) or is not available in this checkout
(reported as not run); 2 bad option; 3 a part failed (crashed, timed out) — the results of the
others are still written.`;

/** Options of {@link runSuite}. */
export interface SuiteOptions {
  readonly quick: boolean;
  readonly long: boolean;
  /** Group or part names; empty = everything. */
  readonly only: readonly string[];
  readonly outFile: string;
  /** Document to regenerate, or null. */
  readonly docFile: string | null;
  /** Run parts in this process instead of one child process each. */
  readonly inProcess: boolean;
  /** Progress lines (one per part). */
  readonly log: (line: string) => void;
}

/** What a suite run produced. */
export interface SuiteOutcome {
  /** Records of this run only. */
  readonly results: readonly BenchResult[];
  /** Parts that failed (crashed, threw, timed out). */
  readonly failed: readonly string[];
  /** Parts not available in this checkout. */
  readonly unavailable: readonly string[];
}

/** Per-part limit before the child is killed (the part is then reported failed). */
function partTimeoutMs(part: BenchPart, options: Pick<SuiteOptions, 'quick' | 'long'>): number {
  if (options.long && part.name === 'memory') return 20 * 60_000;
  return options.quick ? 3 * 60_000 : 15 * 60_000;
}

/** Run one part in a child process (bench/run-part). */
function runPartInChild(part: BenchPart, options: SuiteOptions): Promise<PartOutcome> {
  const entry = nodeEntry('./run-part.js');
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-part-'));
  const outFile = join(dir, 'outcome.json');
  const args = [
    ...entry.execArgv,
    entry.file,
    '--part',
    part.name,
    '--out',
    outFile,
    ...(options.quick ? ['--quick'] : []),
    ...(options.long ? ['--long'] : []),
  ];
  const loadBefore = loadavg()[0]!;
  return new Promise((resolvePart) => {
    // The part's output is kept for the failure report only: stdout stays the runner's.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const keep = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // Notes the benchmarks print (`bench/<name>: …`) go to the runner's log as they come.
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.startsWith('bench/')) options.log(`  ${line}`);
    });
    const limitMs = partTimeoutMs(part, options);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    const finish = (message: string | undefined): void => {
      clearTimeout(timer);
      let outcome: PartOutcome | undefined;
      if (message === undefined && existsSync(outFile)) {
        outcome = JSON.parse(readFileSync(outFile, 'utf8')) as PartOutcome;
      }
      rmSync(dir, { recursive: true, force: true });
      resolvePart(
        outcome ?? {
          part: part.name,
          loadBefore,
          figures: [],
          error: { unavailable: false, message: message ?? `no outcome written\n${stderr.trim()}` },
        },
      );
    };
    child.once('error', (error) => finish(`cannot start: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (timedOut) finish(`timed out after ${limitMs / 1_000} s`);
      else if (code !== 0) finish(`exited with ${code ?? signal}\n${stderr.trim()}`);
      else finish(undefined);
    });
  });
}

/** Records of the previous results file that this run does not replace (an --only run). */
function keptResults(file: string, replacedParts: ReadonlySet<string>): BenchResult[] {
  if (!existsSync(file)) return [];
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as BenchResult[];
    return Array.isArray(previous) ? previous.filter((r) => !replacedParts.has(r.part)) : [];
  } catch {
    return [];
  }
}

/** Order records as the suite lists its parts. */
function suiteOrder(results: BenchResult[]): BenchResult[] {
  const order = GROUPS.flatMap((g) => g.parts.map((p) => p.name));
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order.indexOf(a.r.part) - order.indexOf(b.r.part) || a.i - b.i)
    .map(({ r }) => r);
}

/** Run the selected parts; write the results file and the document. */
export async function runSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const selected: { group: string; part: BenchPart }[] = [];
  const names = options.only.length === 0 ? GROUPS.map((g) => g.name) : options.only;
  for (const name of names) {
    const found = selectParts(name);
    if (found === undefined) throw new Error(`no benchmark '${name}'`);
    for (const part of found.parts) {
      if (!selected.some((s) => s.part.name === part.name)) selected.push({ group: found.group.name, part });
    }
  }
  const mode = options.quick ? 'quick' : options.long ? 'long' : 'full';
  options.log(`bench: ${mode} run of ${selected.map((s) => s.part.name).join(', ')} on ${machineLine(machineNow())}`);
  const results: BenchResult[] = [];
  const failed: string[] = [];
  const unavailable: string[] = [];
  for (const { group, part } of selected) {
    const startNs = process.hrtime.bigint();
    options.log(`bench: ${part.name} …`);
    const outcome = options.inProcess
      ? await runPart(part.name, { quick: options.quick, long: options.long })
      : await runPartInChild(part, options);
    const context = {
      machine: describeMachine(outcome.loadBefore),
      group,
      part: part.name,
      mode,
      measuredAt: new Date().toISOString(),
    } as const;
    const seconds = (Number(process.hrtime.bigint() - startNs) / 1e9).toFixed(0);
    if (outcome.error !== undefined) {
      (outcome.error.unavailable ? unavailable : failed).push(part.name);
      const reason = outcome.error.unavailable ? `not available: ${outcome.error.message}` : outcome.error.message;
      results.push(notRunResult(reason, context));
      options.log(`bench: ${part.name} NOT RUN (${seconds} s): ${reason.split('\n')[0]}`);
      continue;
    }
    const records = outcome.figures.map((f) => toResult(f, context));
    results.push(...records);
    const missed = records.filter((r) => r.met === false).map((r) => r.name);
    options.log(
      `bench: ${part.name} done (${seconds} s, ${records.length} figures${missed.length > 0 ? `; goals missed: ${missed.join(', ')}` : ''})`,
    );
  }
  const all = suiteOrder([...keptResults(options.outFile, new Set(selected.map((s) => s.part.name))), ...results]);
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, JSON.stringify(all, null, 2) + '\n');
  options.log(`bench: wrote ${options.outFile}`);
  if (options.docFile !== null) {
    await updatePerformanceDoc(options.docFile, all);
    options.log(`bench: regenerated the table of ${options.docFile}`);
  }
  return { results, failed, unavailable };
}

/** A summary for the terminal. */
export function formatResults(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.notRun !== undefined ? 'not run' : `${r.value === null ? 'n/a' : Number(r.value.toPrecision(4))} ${r.unit}`,
    r.baselineValue === undefined || r.baselineValue === null ? '' : `${Number(r.baselineValue.toPrecision(4))}`,
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
    r.goal ?? '',
  ]);
  const header = ['figure', 'value', 'baseline', 'verdict', 'goal'];
  return alignColumns([header, ...rows]).join('\n');
}

/** Output streams of {@link benchMain}. */
export interface BenchIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Parse the command line, run the suite; resolves to the exit code. */
export async function benchMain(argv: readonly string[], io: BenchIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        long: { type: 'boolean' },
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        doc: { type: 'string' },
        'no-doc': { type: 'boolean' },
        'in-process': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)} (see --help)\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(BENCH_HELP + '\n');
    return 0;
  }
  if (values.quick === true && values.long === true) {
    io.stderr.write('bench: --quick and --long exclude each other\n');
    return 2;
  }
  if (values.doc !== undefined && values['no-doc'] === true) {
    io.stderr.write('bench: --doc and --no-doc exclude each other\n');
    return 2;
  }
  const only = (values.only ?? [])
    .flatMap((o) => o.split(','))
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  for (const name of only) {
    if (selectParts(name) === undefined) {
      const known = GROUPS.flatMap((g) => [g.name, ...g.parts.filter((p) => p.name !== g.name).map((p) => p.name)]);
      io.stderr.write(`bench: --only ${name}: no such benchmark (${known.join(', ')})\n`);
      return 2;
    }
  }
  const outcome = await runSuite({
    quick: values.quick === true,
    long: values.long === true,
    only,
    outFile: resolve(values.out ?? repoFile('bench/results/latest.json')),
    docFile: values['no-doc'] === true ? null : resolve(values.doc ?? repoFile('docs/performance.md')),
    inProcess: values['in-process'] === true,
    log: (line) => io.stderr.write(line + '\n'),
  });
  io.stdout.write(
    values.json === true ? JSON.stringify(outcome.results) + '\n' : formatResults(outcome.results) + '\n',
  );
  return outcome.failed.length > 0 ? 3 : 0;
}

if (isEntryPoint(import.meta.url)) {
  const code = await benchMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
  // Parts run in child processes; in-process parts may leave handles (brokers, sockets) open.
  process.exit(code);
}
