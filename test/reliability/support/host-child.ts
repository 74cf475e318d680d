/**
 * A launcher host in its own process, for the host `kill -9` test (test/reliability/host-kill.test.ts):
 *
 *   node --import tsx test/reliability/support/host-child.ts LINK RUN_FILE IDS_FILE first
 *   node --import tsx test/reliability/support/host-child.ts LINK RUN_FILE IDS_FILE restart REUSED_FIRE_ID
 *
 * A LauncherController over SerialTransport on the launcher's PTY with RealClock, recording a
 * run file (RunRecorder) with a tick every 10 ms as it goes. Prints JSON lines on stdout:
 *   {"event":"ids","base"}                 the command-id block it reserved
 *   {"event":"hb","monoUs"}                every HEARTBEAT written (absolute CLOCK_MONOTONIC, us)
 *   {"event":"status","monoUs",...status}  every LAUNCHER_STATUS (monoUs at receipt)
 * `first`: arms, fires one FIRE and waits for its launch report, waits until the recording has a
 * block on disk, then prints {"event":"armed","fireCommandId"} and keeps running (to be killed).
 * `restart`: prints {"event":"up",...} with the first status after activation (the driver sends
 * SAFE first), then ARMs with a fresh id, FIREs reusing REUSED_FIRE_ID and prints
 * {"event":"refire","outcome","reason"}, then stops cleanly and prints {"event":"stopped"}.
 *
 * Command ids: every id (callers' and the driver's own SAFE ids) comes from a block of 100 000
 * reserved in IDS_FILE with the host's CommandIdStore before any is used (durable before use),
 * so a restarted host never reuses an id the launcher has seen, even after kill -9 mid-block.
 */
import { statSync } from 'node:fs';
import { CommandIdStore } from '../../../src/devices/command-id-store.js';
import { LauncherController, type LauncherStatusReport, NakError } from '../../../src/devices/index.js';
import { decodeWireFrame } from '../../../src/protocol/index.js';
import { RUN_FILE_FORMAT } from '../../../src/record/run-file-format.js';
import { RunRecorder } from '../../../src/record/run-recorder.js';
import { RealClock } from '../../../src/time/real-clock.js';
import { createTransport } from '../../../src/transport/transport-url.js';
import { ForwardingTransport } from '../../../src/transport/forwarding-transport.js';

const [link, runFile, idsFile, mode, reused] = process.argv.slice(2);
if (link === undefined || runFile === undefined || idsFile === undefined || mode === undefined) {
  // Run by a test runner that picked up every file of the folder: nothing to do here.
  process.stdout.write('1..0 # SKIP host-child is a fixture started by host-kill.test.ts\n');
  process.exit(0);
}

const ID_BLOCK = 100_000;
const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);
const say = (value: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(value) + '\n');

// The host's own persisted reservation (src/devices/command-id-store.ts), as `shieldlink run` uses it.
const block = new CommandIdStore(idsFile).reserve(ID_BLOCK);
const base = block.firstId;
let nextId = base;
const allocate = (): number => {
  if (nextId > block.lastId) throw new Error('command-id block exhausted');
  return nextId++;
};
say({ event: 'ids', base });

/** Reports every HEARTBEAT the host writes, with its absolute monotonic time. */
class HeartbeatTap extends ForwardingTransport {
  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    const written = super.write(bytes);
    if (decoded.ok && decoded.message.type === 'HEARTBEAT') say({ event: 'hb', monoUs: monoUs() });
    return written;
  }
}

const clock = new RealClock();
const launcher = new LauncherController({
  transport: new HeartbeatTap(createTransport(link, { clock })),
  clock,
  lineRates: { deviceToHostBaud: 921_600 },
  // This test is about a host kill, not launch accuracy: a PTY in real time on a loaded CI machine
  // cannot hold the 200 us launch-error budget, so FIRE is allowed with any sync bound under 1 s.
  fireMaxSyncUncertaintyUs: 1_000_000,
  allocateInternalCommandId: allocate,
});
const recorder = RunRecorder.create(runFile, {
  kind: 'manifest',
  format: RUN_FILE_FORMAT,
  softwareVersion: '0.0.0-host-child',
  configHash: 'host-child',
  scenario: null,
  seed: null,
  clockMode: 'real',
  tickPeriodUs: 10_000,
  coreConfig: { mode },
});

let status: LauncherStatusReport | undefined;
const statusWaiters: (() => void)[] = [];
launcher.on('status', (s) => {
  status = s;
  say({ event: 'status', monoUs: monoUs(), ...s });
  for (const wake of statusWaiters.splice(0)) wake();
});
const launched = new Set<number>();
launcher.on('fire-report', (r) => {
  if (r.result === 'launched') launched.add(r.fireCommandId);
  recorder.recordAudit(clock.nowUs(), { fireReport: r });
});

let tick = 0;
const ticker = setInterval(() => {
  tick++;
  recorder.recordTick(tick, clock.nowUs(), status === undefined ? [] : [{ launcher: status }], [], []);
}, 10);

async function until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      statusWaiters.push(resolve);
      setTimeout(resolve, 50);
    });
  }
}

const good = (): boolean => launcher.linkState === 'active' && status?.quality === 'good';

launcher.start();
await until(good, 'an active link');

/** ARM with a fresh id and wait for ARMED; re-armed (fresh id) when a loaded machine drops it. */
async function armed(what: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await until(good, 'an active link');
      if (status?.state !== 'armed') await launcher.arm({ commandId: allocate() });
      await until(() => good() && status?.state === 'armed', what, 5_000);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      say({ event: 'retry', what, error: String(error) });
    }
  }
}

if (mode === 'first') {
  // One executed FIRE, retried with fresh ids while a loaded machine disturbs the engagement
  // (time sync not yet good enough, the launcher dropped to SAFE before execute-at).
  let fireId = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      await armed('ARMED');
      fireId = allocate();
      await launcher.fire({
        commandId: fireId,
        trackId: 1,
        executeAtHostUs: clock.nowUs() + 1_500_000,
        aim: { eastM: 12_000, northM: 0, upM: 5_000 },
      });
      recorder.recordAudit(clock.nowUs(), { fire: fireId });
      await until(() => launched.has(fireId), 'the launch report', 8_000);
      break;
    } catch (error) {
      if (attempt >= 10) throw error;
      say({ event: 'retry', what: 'FIRE', error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await until(() => statSync(runFile).size > 0, 'a recording block on disk');
  await armed('ARMED after the launch');
  say({ event: 'armed', fireCommandId: fireId });
  setInterval(() => undefined, 60_000);
} else {
  say({
    event: 'up',
    state: status?.state,
    watchdog: status?.watchdog,
    safeLatched: launcher.safeLatched,
    statusSafeLatched: status?.safeLatched,
  });
  let outcome = 'none';
  let reason: string | undefined;
  if (reused !== undefined) {
    // ARM (releases the driver's SAFE latch), then FIRE reusing the executed id: the launcher
    // checks command ids before its state (ICD-LNCH-008), so the answer does not depend on
    // whether ARMING has finished. Retried with the same id and arguments on link trouble.
    const executeAtHostUs = clock.nowUs() + 8_000_000;
    for (let attempt = 0; ; attempt++) {
      try {
        await until(good, 'an active link');
        if (launcher.safeLatched) await launcher.arm({ commandId: allocate() });
        await launcher.fire({
          commandId: Number(reused),
          trackId: 2,
          executeAtHostUs,
          aim: { eastM: 12_000, northM: 100, upM: 5_000 },
        });
        outcome = 'accepted';
        break;
      } catch (error) {
        outcome = error instanceof NakError ? 'nak' : 'error';
        reason = error instanceof NakError ? error.reason : String(error);
        if (outcome === 'nak' || attempt >= 20) break;
        say({ event: 'retry', what: 're-FIRE', error: reason });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    // Had it been accepted, its launch would follow: the test reads the truth log for it.
  }
  say({ event: 'refire', outcome, reason, launched: [...launched] });
  clearInterval(ticker);
  await launcher.stop();
  await recorder.close({ ticks: tick });
  say({ event: 'stopped' });
  process.exit(0);
}
