import t from 'tap';
import { conformanceExitCode } from '../../src/cli/commands/conformance-output.js';
import { type RuleResult, type RuleStatus, formatResultLine, formatSummaryLine } from '../../src/conformance/index.js';
import { buildReport } from '../../src/conformance/conformance-report.js';
import { simBench } from './support/sim-bench.js';
import { StallingClock } from './support/stalling-clock.js';

/**
 * The kit's own timing, starved deterministically: the kit runs on a StallingClock over the
 * bench's VirtualClock, so its timers (heartbeat, waits, the scheduling probe) fire late during an
 * injected stall while the simulated device runs on. A check whose verdict the stall could have
 * made is INCONCLUSIVE with the measured figures — never a false FAIL or a false PASS.
 */

t.test(
  'a 400 ms stall while arming: the heartbeat lapses, the watchdog rightly trips — INCONCLUSIVE, not FAIL',
  async (t) => {
    const bench = await simBench();
    const kitClock = new StallingClock(bench.clock);
    let arms = 0;
    bench.sim.launcher('launcher-1').onHostMessage(({ message, receivedAtUs }) => {
      // The second ARM is the one sent with the heartbeat running (the first is judged without).
      if (message.type === 'ARM' && ++arms === 2) kitClock.stall(receivedAtUs + 60_000, 400_000);
    });
    const report = await bench.conformance('launcher-1', { rules: ['ICD-LNCH-002'], measureOwnTiming: true }, kitClock);
    const result = report.results[0]!;
    t.equal(result.status, 'inconclusive', formatResultLine(result));
    t.match(
      result.detail,
      /^cannot judge: the kit's own timing failed during the check — its timers ran up to [34]\d\d ms late, more than the \d+ ms this check judges; its heartbeat lapsed for 4\d\d ms, more than 150 ms/,
    );
    t.match(result.detail, /its verdict would have been FAIL/, 'the verdict it withholds is shown');
    t.equal(report.failed, 0, 'no false failure');
    t.equal(report.inconclusive, 1);
    t.notOk(report.ok, 'a run with a rule not judged is not ok');
    t.match(formatSummaryLine(report), /, 0 blocked, 1 inconclusive; host scheduling error p99 0 ms, max [34]\d\d ms$/);
    t.match(formatResultLine(result), /^INCONCLUSIVE ICD-LNCH-002 /);
    await bench.sim.stop();
  },
);

t.test('a 30 ms stall during the 20 ms ACK check: INCONCLUSIVE, not a pass widened by 30 ms', async (t) => {
  const bench = await simBench();
  const kitClock = new StallingClock(bench.clock);
  let stalled = false;
  bench.sim.launcher('launcher-1').onHostMessage(({ message, receivedAtUs }) => {
    if (message.type === 'HELLO' && !stalled) {
      stalled = true;
      kitClock.stall(receivedAtUs + 60_000, 30_000);
    }
  });
  const report = await bench.conformance('launcher-1', { rules: ['ICD-CMN-005'], measureOwnTiming: true }, kitClock);
  const result = report.results[0]!;
  t.equal(result.status, 'inconclusive', formatResultLine(result));
  t.match(result.detail, /its timers ran up to \d+(\.\d+)? ms late, more than the 20 ms this check judges/);
  t.notMatch(result.detail, /heartbeat lapsed/, 'a 30 ms stall is no heartbeat lapse');
  t.match(result.detail, /its verdict would have been PASS/);
  await bench.sim.stop();
});

t.test(
  'a 5 ms stall is within the 20 ms tolerance: judged, pass for a conforming device, fail for a slow one',
  async (t) => {
    for (const slowMs of [0, 30]) {
      const bench = await simBench();
      if (slowMs > 0) bench.sim.faults('launcher-1').inject({ kind: 'slow', delayMs: slowMs });
      const kitClock = new StallingClock(bench.clock);
      let stalled = false;
      bench.sim.launcher('launcher-1').onHostMessage(({ message, receivedAtUs }) => {
        if (message.type === 'HELLO' && !stalled) {
          stalled = true;
          kitClock.stall(receivedAtUs + 60_000, 5_000);
        }
      });
      const report = await bench.conformance(
        'launcher-1',
        { rules: ['ICD-CMN-005'], measureOwnTiming: true },
        kitClock,
      );
      const result = report.results[0]!;
      t.equal(result.status, slowMs === 0 ? 'pass' : 'fail', formatResultLine(result));
      if (slowMs > 0)
        t.match(
          result.detail,
          /limit 20 ms \+ \d(\.\d+)? ms host scheduling error$/,
          'widened by the measured error only',
        );
      await bench.sim.stop();
    }
  },
);

t.test('exit codes: a failure outranks an inconclusive rule, which exits 3 (the host, not the device)', async (t) => {
  const line = (status: RuleStatus): RuleResult => ({ ruleId: 'ICD-CMN-005', status, title: 'x', durationUs: 0 });
  const exit = (statuses: RuleStatus[], interrupted = false): number =>
    conformanceExitCode(buildReport('launcher', statuses.map(line), undefined, interrupted));
  t.equal(exit(['pass', 'skip']), 0);
  t.equal(exit(['pass', 'inconclusive']), 3);
  t.equal(exit(['fail', 'inconclusive']), 1);
  t.equal(exit(['inconclusive'], true), 130);
});

t.test(
  'a 30 ms stall while device times are collected: ICD-CMN-004 is INCONCLUSIVE, its rate rests on arrival times',
  async (t) => {
    const bench = await simBench();
    const kitClock = new StallingClock(bench.clock);
    let stalled = false;
    bench.sim.launcher('launcher-1').onHostMessage(({ message, receivedAtUs }) => {
      if (message.type === 'TIME_SYNC_REQUEST' && !stalled) {
        stalled = true;
        kitClock.stall(receivedAtUs + 60_000, 30_000);
      }
    });
    const report = await bench.conformance('launcher-1', { rules: ['ICD-CMN-004'], measureOwnTiming: true }, kitClock);
    const result = report.results[0]!;
    t.equal(result.status, 'inconclusive', formatResultLine(result));
    t.match(result.detail, /its timers ran up to \d+(\.\d+)? ms late, more than the 1\d(\.\d+)? ms this check judges/);
    t.match(result.detail, /its verdict would have been PASS/);
    await bench.sim.stop();
  },
);
