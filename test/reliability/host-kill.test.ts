import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import type { LauncherStateRecord, TruthRecord } from '../../src/truth/truth-record.js';
import { forEachIdleTick } from '../../src/record/run-file-format.js';
import { readRunFile } from '../../src/record/run-reader.js';
import { REPO, startCli } from './support/cli-process.js';
import { skipUnlessTools } from '../support/require-tool.js';

/**
 * Host `kill -9` mid-engagement. `shieldlink sim` runs the launcher on a PTY in
 * its own process; a host child (support/host-child.ts: LauncherController over SerialTransport,
 * RealClock, RunRecorder) arms it, fires once and is killed with SIGKILL while ARMED. Then:
 * - the launcher's watchdog made it SAFE (truth log: `launcher-state` safe/tripped, cause
 *   watchdog) within 250 ms + one 50 ms heartbeat period of the last HEARTBEAT the host wrote;
 * - a restarted host comes up with the launcher SAFE (the driver sends SAFE first) and latched;
 * - the killed host's recording reads back to its last complete record (complete = false);
 * - a FIRE reusing the executed FIRE's id is refused duplicate-command (ICD-LNCH-008) by the
 *   launcher after the restart, and launched at most once (truth).
 *
 * The watchdog figure: the trip instant is the truth record's `deviceTimeUs` (launcher clock)
 * mapped to the machine's CLOCK_MONOTONIC by the smallest (rx − deviceTimeUs) over the statuses
 * the host received (an upper bound of the true offset: the mapping can only make the figure
 * larger); the last heartbeat is the host's own write time on the same monotonic clock.
 */

const MONO_LIMIT_US = 250_000 + 50_000;
const SCENARIO = 'hil-configs/scenarios/single-ballistic.yaml';

t.setTimeout(45_000);

interface ChildLines {
  readonly child: ChildProcess;
  readonly values: Record<string, unknown>[];
  stderr(): string;
  wait(event: string, timeoutMs: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startHost(args: string[]): ChildLines {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/support/host-child.ts', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const values: Record<string, unknown>[] = [];
  let stderr = '';
  const wake: (() => void)[] = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      values.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const w of wake.splice(0)) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of wake.splice(0)) w();
    }),
  );
  return {
    child,
    values,
    stderr: () => stderr,
    exited,
    async wait(event, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = values.find((v) => v.event === event);
        if (hit !== undefined) return hit;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline)
          throw new Error(`host child: no "${event}" line (exit ${child.exitCode}); stderr:\n${stderr}`);
        await new Promise<void>((resolve) => {
          wake.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

async function killHost(host: ChildLines): Promise<void> {
  if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
  await host.exited;
}

function readTruth(file: string): TruthRecord[] {
  const records: TruthRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as TruthRecord);
    } catch {
      // a line being written right now
    }
  }
  return records;
}

t.test(
  'host kill -9 mid-engagement: watchdog SAFE, restart boots SAFE, recording readable, FIRE id dedup',
  { skip: skipUnlessTools('socat') },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'shieldlink-host-kill-'));
    const truthFile = join(dir, 'truth.jsonl');
    const idsFile = join(dir, 'command-ids');
    const sim = startCli(['sim', '--scenario', SCENARIO, '--truth', truthFile]);
    const hosts: ChildLines[] = [];
    t.teardown(async () => {
      for (const host of hosts) await killHost(host);
      await sim.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });
    const { link } = await sim.waitForLine<{ link: string }>((v) => v.device === 'launcher-1', 20_000);

    // 1. Arm, fire once, kill -9 while ARMED.
    const first = startHost([link, join(dir, 'run-1.jsonl'), idsFile, 'first']);
    hosts.push(first);
    const armed = await first.wait('armed', 30_000);
    const fireId = armed.fireCommandId as number;
    const killedAtUs = Number(process.hrtime.bigint() / 1000n);
    await killHost(first);
    t.equal((await first.exited).signal, 'SIGKILL', 'host child killed with SIGKILL while ARMED');

    // 2. The killed host's recording reads back to its last complete record.
    const run = await readRunFile(join(dir, 'run-1.jsonl'));
    t.equal(run.complete, false, 'recording has no end record (complete = false)');
    const ticks: number[] = [];
    for (const r of run.records) {
      if (r.kind === 'tick') ticks.push(r.tick);
      else if (r.kind === 'idle') forEachIdleTick(r, (tick) => void ticks.push(tick));
    }
    t.ok(ticks.length > 0, 'recording holds ticks');
    t.same(
      ticks,
      Array.from({ length: ticks.length }, (_, i) => i + 1),
      'ticks read back in order without gaps up to the last complete record',
    );
    t.comment(
      `recording: ${run.records.length} records read back, last tick ${ticks.at(-1)}, truncated tail ${run.truncatedTail}`,
    );

    // 3. Restart: SAFE first, latched; a FIRE reusing the executed id is refused.
    const second = startHost([link, join(dir, 'run-2.jsonl'), idsFile, 'restart', String(fireId)]);
    hosts.push(second);
    const up = await second.wait('up', 30_000);
    t.same(
      { state: up.state, watchdog: up.watchdog, safeLatched: up.safeLatched },
      { state: 'safe', watchdog: 'tripped', safeLatched: true },
      'restarted host comes up with the launcher SAFE, watchdog latched, driver latched SAFE',
    );
    const firstBase = first.values.find((v) => v.event === 'ids')!.base as number;
    const secondBase = second.values.find((v) => v.event === 'ids')!.base as number;
    t.ok(secondBase >= firstBase + 100_000, `restart reserved fresh command ids (${firstBase} → ${secondBase})`);
    const refire = await second.wait('refire', 30_000);
    t.same(
      { outcome: refire.outcome, reason: refire.reason },
      { outcome: 'nak', reason: 'duplicate-command' },
      `FIRE reusing executed id ${fireId} after restart refused duplicate-command (ICD-LNCH-008)`,
      { refire, stderr: second.stderr() },
    );
    await second.wait('stopped', 20_000);
    t.equal((await second.exited).code, 0, 'restarted host stops cleanly');
    t.equal((await sim.stop('SIGTERM')).code, 0, 'simulator stops cleanly (truth log flushed)');
    // 5. Watchdog SAFE, from the simulator's truth log (batched: complete once the simulator stopped).
    const armedStatuses = first.values.filter((v) => v.event === 'status' && v.quality === 'good');
    const lastArmedDeviceUs = Math.max(
      ...armedStatuses.filter((v) => v.state === 'armed').map((v) => v.deviceTimeUs as number),
    );
    const trip = readTruth(truthFile).find(
      (r): r is LauncherStateRecord =>
        r.kind === 'launcher-state' && r.cause === 'watchdog' && r.deviceTimeUs > lastArmedDeviceUs,
    );
    if (trip === undefined) {
      const tail = readTruth(truthFile).filter((r) => r.kind === 'launcher-state');
      throw new Error(
        `no watchdog launcher-state record after device time ${lastArmedDeviceUs} us: ${JSON.stringify(tail.slice(-5))}`,
      );
    }
    t.same(
      { state: trip.state, watchdog: trip.watchdog, cause: trip.cause },
      { state: 'safe', watchdog: 'tripped', cause: 'watchdog' },
      'launcher SAFE, watchdog tripped',
    );
    const states = readTruth(truthFile).filter((r): r is LauncherStateRecord => r.kind === 'launcher-state');
    const before = states.filter((r) => r.tUs < trip.tUs).at(-1);
    t.equal(before?.state, 'armed', 'the launcher was ARMED until the watchdog tripped');
    const heartbeats = first.values.filter((v) => v.event === 'hb').map((v) => v.monoUs as number);
    const lastHeartbeatUs = Math.max(...heartbeats);
    const recent = armedStatuses.slice(-20);
    const offsetUs = Math.min(...recent.map((v) => (v.monoUs as number) - (v.deviceTimeUs as number)));
    const tripMonoUs = trip.deviceTimeUs + offsetUs;
    const watchdogUs = tripMonoUs - lastHeartbeatUs;
    t.comment(
      `watchdog SAFE ${(watchdogUs / 1000).toFixed(1)} ms after the last host HEARTBEAT ` +
        `(${heartbeats.length} heartbeats; kill ${((killedAtUs - lastHeartbeatUs) / 1000).toFixed(1)} ms after it; ` +
        `limit ${MONO_LIMIT_US / 1000} ms)`,
    );
    t.ok(watchdogUs <= MONO_LIMIT_US, `watchdog SAFE within 250 ms + 50 ms of the last heartbeat`);
    t.ok(tripMonoUs >= lastHeartbeatUs, 'tripped after the last heartbeat');

    const truth = readTruth(truthFile);
    const launches = truth.filter((r) => r.kind === 'launch' && r.commandId === fireId).length;
    t.equal(launches, 1, `FIRE ${fireId} launched exactly once (truth)`);
    t.equal(truth.filter((r) => r.kind === 'duplicate-execution').length, 0, '0 duplicate executions (truth)');
    const run2 = await readRunFile(join(dir, 'run-2.jsonl'));
    t.equal(run2.complete, true, 'the restarted host closes its recording');
  },
);
