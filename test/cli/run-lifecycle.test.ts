/**
 * `shieldlink run` ends honestly: bad scenarios are config errors (exit 2), outputs are checked
 * before anything starts (no output is an input or another output, existing files named on the
 * command line need --force, the directory must be writable), a full disk ends the run (exit 3),
 * SIGTERM stops it like SIGINT, the simulator child dies with its parent with its truth log
 * complete, a process whose work never settles exits 3, one whose work settled exits with its code
 * even when something is left open, and real-time boot ids differ per start.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { bootIdFor } from '../../src/compose/boot-id.js';
import { REPO, CLI } from '../reliability/support/cli-process.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { runCli } from './frames-io.js';

const SCENARIO = join(REPO, 'hil-configs/scenarios/single-ballistic.yaml');
const tmp = (t: { teardown(fn: () => void): void }): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-life-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
/** A short virtual run with no broker, writing into `dir`. */
const shortRun = (dir: string, extra: string[] = []): string[] => [
  'run',
  '--scenario',
  SCENARIO,
  '--virtual-time',
  '--broker',
  'none',
  '--duration',
  '2',
  '--quiet',
  '--record',
  join(dir, 'x.run'),
  ...extra,
];

t.test('run exits 2 on a missing or invalid scenario, starting nothing', async (t) => {
  const dir = tmp(t);
  const missing = await runCli(['run', '--scenario', join(dir, 'nope.yaml'), '--record', join(dir, 'x.run')]);
  t.equal(missing.code, 2, missing.stderr);
  t.match(missing.stderr, /cannot read file \(ENOENT\)/);
  const invalid = join(dir, 'bad.yaml');
  writeFileSync(invalid, 'seed: 1\ndurationS: -3\n');
  const bad = await runCli(['run', '--scenario', invalid, '--record', join(dir, 'y.run')]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, 'durationS: expected a positive number');
  t.notOk(existsSync(join(dir, 'x.run')) || existsSync(join(dir, 'y.run')), 'no recording created');
});

t.test('an output equal to an input or to another output is refused', async (t) => {
  const dir = tmp(t);
  const scenarioCopy = join(dir, 's.yaml');
  writeFileSync(scenarioCopy, readFileSync(SCENARIO));
  const before = readFileSync(scenarioCopy, 'utf8');
  const clobber = await runCli(['run', '--scenario', scenarioCopy, '--virtual-time', '--record', scenarioCopy]);
  t.equal(clobber.code, 2);
  t.match(clobber.stderr, /--record .*s\.yaml is also the scenario/);
  t.equal(readFileSync(scenarioCopy, 'utf8'), before, 'the scenario is untouched');
  const same = await runCli([...shortRun(dir), '--junit', join(dir, 'r.html'), '--report', join(dir, 'r.html')]);
  t.equal(same.code, 2);
  t.match(same.stderr, /is also the --report/);
});

t.test('an existing output named on the command line needs --force', async (t) => {
  const dir = tmp(t);
  writeFileSync(join(dir, 'x.run'), 'precious');
  const refused = await runCli(shortRun(dir));
  t.equal(refused.code, 2);
  t.match(refused.stderr, /x\.run exists \(--force overwrites it\)/);
  t.equal(readFileSync(join(dir, 'x.run'), 'utf8'), 'precious', 'not overwritten');
  const forced = await runCli(shortRun(dir, ['--force']));
  t.ok(forced.code === 0 || forced.code === 1, `--force: the run ran (exit ${forced.code}) ${forced.stderr}`);
  t.match(readFileSync(join(dir, 'x.run'), 'utf8'), /"kind":"end"/);
});

t.test('an output location that cannot be written is refused before the run starts', async (t) => {
  const dir = tmp(t);
  writeFileSync(join(dir, 'a-file'), '');
  const result = await runCli([...shortRun(dir), '--junit', join(dir, 'a-file', 'junit.xml')]);
  t.equal(result.code, 2);
  t.match(result.stderr, /--junit .*: cannot write there \((ENOTDIR|EEXIST)\)/, result.stderr);
  t.notOk(existsSync(join(dir, 'x.run')), 'nothing started: no recording');
});

t.test('a full disk mid-run is reported and ends the run (exit 3)', async (t) => {
  const dir = tmp(t);
  // /dev/full fails every write with ENOSPC: the recording's first 64 KiB block, mid-run.
  symlinkSync('/dev/full', join(dir, 'x.run'));
  const result = await runCli(shortRun(dir, ['--force', '--duration', '30']));
  t.equal(result.code, 3);
  t.match(
    result.stderr,
    /cannot write the recording .*x\.run: ENOSPC \(disk full\); the run was ended, launchers SAFE/,
  );
});

t.test('a process whose work never settles exits 3 with a message', async (t) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', "import('./src/cli/process-exit.ts').then((m) => m.runAsProcess(new Promise(() => {})))"],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  t.equal(code, 3);
  t.match(stderr, /stopped without finishing/);
});

t.test('a process whose work settled but left a socket open exits with its code after the linger', async (t) => {
  const script = [
    "import { createServer } from 'node:net';",
    "const m = await import('./src/cli/process-exit.ts');",
    "createServer().listen(0, '127.0.0.1');", // what a part whose stop never settled leaves behind
    'm.runAsProcess(Promise.resolve(1), process.stderr, 300);',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  t.equal(code, 1, stderr);
  t.match(stderr, /something left open still held the process 0.3 s after the end/);
});

t.test('boot ids: repeatable in virtual time, unique per start in real time', async (t) => {
  t.equal(bootIdFor('n', 5, true), bootIdFor('n', 5, true));
  const a = bootIdFor('n', 5, false);
  const b = bootIdFor('n', 5, false);
  t.not(a, b);
  t.match(a, /^n-5-[0-9a-f]{12}$/);
});

/** Start the CLI as a process; resolves once `ready` matches its stdout/stderr. */
function startRun(args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const isReady = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), 90_000);
    const check = (): void => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
  });
  return { child, exited, isReady, output: () => out };
}

t.test('SIGTERM stops a run like SIGINT: recording closed, summary printed', async (t) => {
  const dir = tmp(t);
  const run = startRun(
    [
      'run',
      '--scenario',
      SCENARIO,
      '--real-time',
      '--broker',
      'none',
      '--duration',
      '60',
      '--record',
      join(dir, 'x.run'),
    ],
    /command scenario-\d+ \S+: (completed|rejected)/,
  );
  await run.isReady;
  run.child.kill('SIGTERM');
  const end = await run.exited;
  t.equal(end.signal, null, 'not killed by the signal');
  t.ok(end.code === 0 || end.code === 1, `exit ${end.code}`);
  t.match(run.output(), /interrupted: stopped early, launchers SAFE, recording closed/);
  t.match(readFileSync(join(dir, 'x.run'), 'utf8'), /"kind":"end"/, 'the recording has its end record');
});

t.test(
  'the simulator process dies with its parent, its truth log complete',
  { skip: skipUnlessTools('socat') },
  async (t) => {
    const dir = tmp(t);
    const config = join(dir, 'pty.yaml');
    writeFileSync(
      config,
      `node: { id: pty-1 }\nscenario: ${SCENARIO}\nsimulator: { enabled: true, placement: pty }\nbroker: { disabled: true }\noutput: { dir: ${dir} }\n`,
    );
    const truth = join(dir, 'x.truth.jsonl');
    const run = startRun(
      ['run', '--config', config, '--duration', '60', '--record', join(dir, 'x.run'), '--truth', truth],
      /command scenario-\d+ \S+: (completed|rejected)/,
    );
    await run.isReady;
    // The parent dies without a chance to stop its child (its pipes to the child break).
    run.child.kill('SIGKILL');
    await run.exited;
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text = existsSync(truth) ? readFileSync(truth, 'utf8') : '';
      if (text.includes('"kind":"run-end"')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    t.match(text, /"kind":"run-end"/, 'the simulator stopped on its own and flushed its truth log');
  },
);
