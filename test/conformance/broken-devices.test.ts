import t from 'tap';
import { type RuleResult, formatResultLine, runConformance } from '../../src/conformance/index.js';
import { behaviour } from '../../firmware-sim/behaviours/behaviour.js';
import type { SimulatedLauncher } from '../../firmware-sim/launcher/launcher-firmware.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { drive, simBench } from './support/sim-bench.js';
import {
  CrcIgnoringTransport,
  DroppingTransport,
  SlowWritingTransport,
  StuckTransport,
} from './support/tampering-transports.js';

function byRule(results: readonly RuleResult[]): Map<string, RuleResult> {
  return new Map(results.map((r) => [r.ruleId, r]));
}

t.test('a launcher that ACKs a late FIRE fails ICD-LNCH-006, and only that rule', async (t) => {
  const bench = await simBench();
  const launcher = bench.sim.launcher('launcher-1');
  const original = launcher.behaviours.get('fire')!;
  launcher.behaviours.replace(
    'fire',
    behaviour<SimulatedLauncher>('fire', (ctx) => {
      const m = ctx.message;
      if (m.type === 'FIRE' && ctx.device.fireRefusal(m, ctx.receivedAtDeviceUs) === 'late') {
        ctx.ack();
        ctx.device.scheduleFire(m, ctx.receivedAtUs);
        return true;
      }
      return original.onHostMessage(ctx);
    }),
  );
  const report = await bench.conformance('launcher-1', { allowFire: true });
  const failed = report.results.filter((r) => r.status === 'fail');
  t.same(
    failed.map((r) => r.ruleId),
    ['ICD-LNCH-006'],
    'no cascade into other rules',
  );
  t.equal(
    formatResultLine(failed[0]!),
    'FAIL ICD-LNCH-006  FIRE late is refused with NAK late (expected NAK late to FIRE 100 ms late, got ACK)',
  );
  t.equal(launcher.state, 'safe', 'left SAFE');
  await bench.sim.stop();
});

t.test('a device that sends no HEARTBEAT fails ICD-CMN-003 with the count', async (t) => {
  const bench = await simBench({
    devices: { 'radar-1': { paced: false } },
    wrapDeviceEnd: (id, end) => (id === 'radar-1' ? new DroppingTransport(end, (m) => m.type === 'HEARTBEAT') : end),
  });
  const report = await bench.conformance('radar-1', { rules: ['ICD-CMN-003'] });
  const result = byRule(report.results).get('ICD-CMN-003')!;
  t.equal(result.status, 'fail');
  t.equal(result.detail, '0 HEARTBEAT in 1000 ms with the host silent, expected at least 15');
  t.equal(report.failed, 1);
  await bench.sim.stop();
});

t.test('a launcher that does not check CRCs answers bad frames and counts invalid heartbeats', async (t) => {
  const bench = await simBench({
    wrapDeviceEnd: (id, end) => (id === 'launcher-1' ? new CrcIgnoringTransport(end) : end),
  });
  const report = await bench.conformance('launcher-1', { rules: ['ICD-FRM-005', 'ICD-LNCH-004', 'ICD-LNCH-011'] });
  const results = byRule(report.results);
  t.equal(results.get('ICD-FRM-005')?.status, 'fail');
  t.match(
    results.get('ICD-FRM-005')?.detail,
    /^answered frames it must discard: a bad CRC → ACK; a bad CRC on TIME_SYNC_REQUEST → TIME_SYNC_RESPONSE$/,
  );
  t.equal(results.get('ICD-LNCH-004')?.status, 'fail');
  t.match(
    results.get('ICD-LNCH-004')?.detail,
    /^no status showing SAFE with watchdog tripped within 270 ms of the last valid heartbeat/,
  );
  t.equal(results.get('ICD-LNCH-011')?.status, 'pass', 'the next check is unaffected');
  t.equal(bench.sim.launcher('launcher-1').state, 'safe', 'left SAFE');
  await bench.sim.stop();
});

t.test('a slow launcher fails the 20 ms ACK deadline whatever the timeout scale and slack', async (t) => {
  const bench = await simBench();
  bench.sim.faults('launcher-1').inject({ kind: 'slow', delayMs: 30 });
  const slow = await bench.conformance('launcher-1', { rules: ['ICD-CMN-005'] });
  t.equal(slow.results[0]?.status, 'fail');
  t.match(slow.results[0]?.detail, /^ACK to SAFE \d+ after 30\.\d+ ms, limit 20 ms$/);
  const scaled = await bench.conformance('launcher-1', {
    rules: ['ICD-CMN-005'],
    timeoutScale: 3,
    timingSlackUs: 10_000,
  });
  t.equal(scaled.results[0]?.status, 'fail', 'the scale lengthens waits, never limits; no host jitter in virtual time');
  await bench.sim.stop();
});

t.test(
  'with the CI settings a 6 ms time-sync answer fails (a launch 2 ms early: test/conformance/violations.test.ts)',
  async (t) => {
    const bench = await simBench();
    bench.sim.faults('launcher-1').inject({ kind: 'slow', delayMs: 6 });
    const report = await bench.conformance('launcher-1', {
      rules: ['ICD-CMN-007'],
      timeoutScale: 3,
      timingSlackUs: 1_000_000,
    });
    t.equal(report.results[0]?.status, 'fail');
    t.match(report.results[0]?.detail, /^t3 − t2 = 6 ms in device time, limit 5 ms$/);
    await bench.sim.stop();
  },
);

t.test('a link whose writes never complete: each check fails on its budget, the run ends', async (t) => {
  const clock = new VirtualClock();
  const report = await drive(
    clock,
    runConformance({
      device: 'launcher',
      transport: new StuckTransport(),
      clock,
      rules: ['ICD-CMN-005', 'ICD-CMN-007'],
    }),
  );
  t.same(
    report.results.map((r) => [r.ruleId, r.status, r.detail]),
    [
      ['ICD-CMN-005', 'fail', 'timed out after 15 s while: HELLO'],
      ['ICD-CMN-007', 'fail', 'timed out after 15 s while: HELLO'],
    ],
  );
});

t.test('interrupted while ARMED: the rest is not run and the launcher is sent SAFE', async (t) => {
  const bench = await simBench();
  const launcher = bench.sim.launcher('launcher-1');
  const interrupt = new AbortController();
  let abortedAtUs = Infinity;
  const states: string[] = [];
  launcher.onHostMessage(({ message, receivedAtUs }) => {
    if (message.type === 'SAFE' && receivedAtUs >= abortedAtUs) states.push(`SAFE while ${launcher.state}`);
  });
  const report = await bench.conformance('launcher-1', {
    signal: interrupt.signal,
    onResult: (result) => {
      if (result.ruleId !== 'ICD-LNCH-002') return;
      // LNCH-003 arms the launcher about 0.3 s after it starts.
      bench.clock.setTimer(900_000, () => {
        abortedAtUs = bench.clock.nowUs();
        interrupt.abort();
      });
    },
  });
  t.ok(report.interrupted);
  t.notOk(report.ok);
  const results = byRule(report.results);
  t.equal(results.get('ICD-LNCH-003')?.detail, 'interrupted');
  t.equal(results.get('ICD-LNCH-011')?.detail, 'not run: interrupted');
  t.ok(states.length >= 1, 'SAFE sent after the interrupt');
  t.equal(launcher.state, 'safe');
  await bench.sim.stop();
});

t.test('a silent device: every check fails on its own, quickly, saying why', async (t) => {
  const bench = await simBench();
  bench.sim.faults('radar-1').inject({ kind: 'silence', atS: 0, forS: 3000 });
  const startUs = bench.clock.nowUs();
  const report = await bench.conformance('radar-1', {});
  t.equal(report.passed, 0);
  const results = byRule(report.results);
  t.match(results.get('ICD-CMN-001')?.detail, /^no answer to RADAR_SET_MODE sent before HELLO/);
  t.equal(results.get('ICD-CMN-001')?.status, 'fail');
  t.equal(report.failed + report.blocked, report.results.length, 'every other rule: cannot judge');
  t.equal(results.get('ICD-RDR-002')?.status, 'blocked');
  t.match(
    results.get('ICD-RDR-002')?.detail,
    /^cannot judge: the known state every check starts from was not reached \(no IDENT in answer to HELLO within 250 ms\); it depends on ICD-CMN-001, ICD-CMN-005$/,
  );
  t.ok(bench.clock.nowUs() - startUs < 60_000_000, 'under a minute of device time');
  await bench.sim.stop();
});

t.test('ICD-LNCH-012 is judged on request against a launcher in FAULT, skipped (saying why) otherwise', async (t) => {
  const bench = await simBench();
  const full = await bench.conformance('launcher-1', { rules: ['ICD-LNCH-012'] });
  t.equal(full.results[0]?.status, 'skip');
  t.match(full.results[0]?.detail, /^the launcher is safe, not in FAULT, and no command of the ICD causes a fault/);
  const l = bench.sim.launcher('launcher-1');
  l.enterFault();
  const faulted = await bench.conformance('launcher-1', { rules: ['ICD-LNCH-012'] });
  t.equal(faulted.results[0]?.status, 'pass', formatResultLine(faulted.results[0]!));
  t.equal(faulted.results[0]?.detail, 'after SAFE: fault', 'the fault persists: SAFE is not remembered');
  t.equal(l.state, 'fault');
  l.clearFault();
  await bench.sim.stop();
});

t.test('a launcher that executes commands before HELLO fails ICD-CMN-001 when the kit saw it power on', async (t) => {
  const ignoreHandshake = (bench: Awaited<ReturnType<typeof simBench>>) =>
    bench.sim.launcher('launcher-1').behaviours.replace(
      'handshake',
      behaviour('handshake', () => false),
    );
  const fresh = await simBench();
  ignoreHandshake(fresh);
  const report = await fresh.conformance('launcher-1', { rules: ['ICD-CMN-001'] });
  const result = byRule(report.results).get('ICD-CMN-001')!;
  t.equal(result.status, 'fail', 'a failure without --strict: the kit heard heartbeatCount 0');
  t.match(result.detail, /^ARM before any HELLO got NAK no-heartbeat, expected NAK not-handshaken \(the kit heard/);
  await fresh.sim.stop();

  const late = await simBench();
  ignoreHandshake(late);
  await late.clock.advance(2_000_000);
  const lateReport = await late.conformance('launcher-1', { rules: ['ICD-CMN-001'] });
  t.equal(
    byRule(lateReport.results).get('ICD-CMN-001')!.status,
    'skip',
    'connected 2 s after power-on: an earlier host may have sent HELLO, so it cannot be judged',
  );
  await late.sim.stop();
});

t.test(
  'a HELLO written one byte at a time by a slow host is not cut by the host heartbeat (ICD-FRM-001)',
  async (t) => {
    const bench = await simBench();
    // 5 ms per write: the 21 bytes of HELLO take ~105 ms, two host heartbeat periods.
    const transport = new SlowWritingTransport(bench.hostEnd('radar-1'), bench.clock, 5_000);
    const report = await drive(
      bench.clock,
      runConformance({ device: 'radar', transport, clock: bench.clock, rules: ['ICD-FRM-001'] }),
    );
    const result = byRule(report.results).get('ICD-FRM-001')!;
    t.equal(result.status, 'pass', formatResultLine(result));
    await bench.sim.stop();
  },
);
