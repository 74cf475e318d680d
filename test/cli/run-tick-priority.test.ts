/**
 * `control.tickFifoPriority`: a real-time run puts its control tick thread at SCHED_FIFO and says
 * so in its summary; a host that would refuse it stops the run before anything starts (exit 3,
 * naming the field and why); virtual time ignores it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { REPO } from '../reliability/support/cli-process.js';
import { runCli } from './frames-io.js';

// A scenario without measurement limits: 2 s cannot meet a whole scenario's limits (exit 1).
const SCENARIO = join(REPO, 'hil-configs/scenarios/forced-non-threat.yaml');
const mayRaise = process.platform === 'linux' && process.getuid?.() === 0;

function setUp(t: { teardown(fn: () => void): void }): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sl-fifo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'bench.yaml');
  writeFileSync(
    config,
    [
      'node: { id: fifo-1 }',
      `scenario: ${JSON.stringify(SCENARIO)}`,
      'simulator: { enabled: true, placement: in-process }',
      'control: { tickFifoPriority: 20 }',
      `output: { dir: ${JSON.stringify(dir)} }`,
    ].join('\n'),
  );
  return { dir, config };
}

const runArgs = (config: string, dir: string, time: '--real-time' | '--virtual-time'): string[] => [
  'run',
  '--config',
  config,
  '--scenario',
  SCENARIO,
  time,
  '--broker',
  'none',
  '--duration',
  '2',
  '--record',
  join(dir, 'x.run'),
];

t.test(
  'a real-time run ticks at SCHED_FIFO and says so',
  { skip: !mayRaise && 'needs root (CI runs as root)' },
  async (t) => {
    const { dir, config } = setUp(t);
    const run = await runCli(runArgs(config, dir, '--real-time'));
    t.equal(run.code, 0, run.stderr);
    t.match(run.stdout, /control loop .*tick thread SCHED_FIFO 20/);
  },
);

t.test('a host that refuses SCHED_FIFO stops the run before anything starts', async (t) => {
  const { dir, config } = setUp(t);
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent-shieldlink-bin'; // no chrt: refused whoever runs the test
  t.teardown(() => {
    process.env.PATH = path;
  });
  const run = await runCli(runArgs(config, dir, '--real-time'));
  process.env.PATH = path;
  t.equal(run.code, 3, run.stderr);
  t.match(run.stderr, /control\.tickFifoPriority: cannot run chrt/);
  t.notOk(existsSync(join(dir, 'x.run')), 'no recording started');
});

t.test('virtual time ignores the setting (no thread to raise)', async (t) => {
  const { dir, config } = setUp(t);
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent-shieldlink-bin';
  t.teardown(() => {
    process.env.PATH = path;
  });
  const run = await runCli(runArgs(config, dir, '--virtual-time'));
  process.env.PATH = path;
  t.equal(run.code, 0, run.stderr);
  t.notMatch(run.stdout, /SCHED_FIFO/);
});

t.test('config check refuses a priority out of range, naming the field', async (t) => {
  const { dir } = setUp(t);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'node: { id: fifo-1 }\ncontrol: { tickFifoPriority: 100 }\n');
  const check = await runCli(['config', 'check', bad]);
  t.equal(check.code, 2, check.stdout + check.stderr);
  t.match(check.stdout + check.stderr, /control\.tickFifoPriority: expected a SCHED_FIFO priority in 1–99/);
});
