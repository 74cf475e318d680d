import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { openPtyPair } from '../../src/transport/index.js';

// Real time must intercept like virtual time (shortened: the short-salvo scenario, 30 s of real
// time per bench). The virtual-time run of the same scenario on the in-process bench is the
// reference; real time must intercept at least floor(90 %) of its hostiles — with 7 or so
// intercepts in 30 s, 90 % rounds down to one fewer. Every launcher must have been ready, and
// the median launch error must stay within the launch-time error budget (3,333 us here; the p99
// of a handful of launches is their worst, which on a loaded machine is the simulator's own
// lateness, not time sync). Refused FIREs (e.g. `late` after a stall) must stay bounded.
const SCENARIO = 'hil-configs/scenarios/short-salvo.yaml';
const BUDGET_US = (0.1 * 50 * 1e6) / 1500;

const socatMissing = await openPtyPair()
  .then(async (pair) => {
    await pair.close();
    return false as const;
  })
  .catch(() => 'socat not installed (apt-get install socat; .ci/run installs it)');

async function run(config: string, virtualTime: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'sl-rt-'));
  return runBench({
    loaded: await loadBenchConfig(config),
    scenarioFile: SCENARIO,
    virtualTime,
    broker: 'none',
    recordFile: join(dir, 'a.run'),
    truthFile: join(dir, 'a.truth.jsonl'),
  });
}

const reference = run('hil-configs/sim.yaml', true).then((r) => r.summary);

for (const config of ['hil-configs/sim.yaml', 'hil-configs/sim-pty.yaml']) {
  const pty = config.endsWith('sim-pty.yaml');
  const skip = pty && socatMissing !== false && process.env.CI !== 'true' ? socatMissing : false;
  t.test(`${config} in real time intercepts like virtual time (${SCENARIO}, 30 s)`, { skip }, async (t) => {
    if (pty && socatMissing !== false) t.fail(`CI: ${socatMissing}`);
    const virtual = await reference;
    t.ok(virtual.intercepted >= 5, `the reference intercepts (${virtual.intercepted} in virtual time)`);
    const result = await run(config, false);
    const real = result.summary;
    const linkLosses = Object.values(result.linkCounters as Record<string, { linkLosses: number }>).reduce(
      (n, c) => n + c.linkLosses,
      0,
    );
    const load = loadavg()[0]!.toFixed(1);
    t.comment(
      `real ${real.intercepted}/${real.hostilesInEnvelope}, virtual ${virtual.intercepted}/${virtual.hostilesInEnvelope}, ` +
        `launch error p50 ${real.launchErrorUs.p50?.toFixed(0)} p99 ${real.launchErrorUs.p99?.toFixed(0)} us ` +
        `(${real.launchErrorBasis}), FIREs refused ${JSON.stringify(real.fireRefusals.byReason)}, load ${load}`,
    );
    if (pty && linkLosses > 0) {
      // Over PTYs on an overloaded machine (load average above ~20 on 2 cores) the host and the
      // simulator process stall for hundreds of ms: launchers are (rightly) made SAFE and the
      // scenario arms them only once. Then the run cannot intercept like virtual time, and the
      // test checks that this is reported instead: which launchers, for how long, why.
      t.comment(`${linkLosses} link losses at load ${load}: checking the report instead of the ratio`);
      const lost = real.launcherReadiness.filter(
        (r) => (r.notReadyByReasonS['launcher-not-armed'] ?? 0) + (r.notReadyByReasonS['launcher-inactive'] ?? 0) > 2,
      );
      t.ok(
        lost.length > 0,
        `the launchers that dropped out are reported (${lost.map((r) => r.launcherId).join(', ')})`,
      );
    } else {
      t.ok(real.launches > 0, `real time fires (${real.launches} launches)`);
      t.ok(
        real.intercepted >= Math.floor(0.9 * virtual.intercepted),
        `real time intercepts ${real.intercepted} >= floor(0.9 x ${virtual.intercepted})`,
      );
    }
    // The time-sync gate must open: a gate that never opens (the defect this guards against) is
    // out of bound for the whole run. How long it is shut is a timing figure: on a quiet machine
    // it is a fraction of a second at start-up, but on a CI host running other test files beside
    // this one a launcher's sync was out of its 3.3 ms budget for 6 of 30 s — rightly, since an
    // exchange delayed by the host's own stalls cannot bound the clock that tightly. So the test
    // asserts "open most of the run"; the quiet figure is the `realtime` benchmark's
    // `syncOutOfBudget`.
    const droppedOut = pty && linkLosses > 0;
    for (const r of real.launcherReadiness) {
      // A launcher made SAFE by a link loss and never re-armed (see above) is never ready again.
      if (!droppedOut) t.ok(r.everReady, `${r.launcherId} was ready (${JSON.stringify(r.notReadyByReasonS)})`);
      t.ok(
        (r.notReadyByReasonS['time-sync-out-of-bound'] ?? 0) < 0.5 * (r.readyS + r.notReadyS),
        `${r.launcherId}: time sync within its budget most of the run`,
      );
    }
    if (!droppedOut || real.launches > 0) {
      t.ok(
        Math.abs(real.launchErrorUs.p50 ?? Infinity) <= BUDGET_US,
        `launch error p50 within ${BUDGET_US.toFixed(0)} us`,
      );
    }
    t.ok(real.fireRefusals.total <= 3 * real.hostiles, 'refused FIREs bounded (3 per target and launcher)');
    t.same(real.safety, {
      firesWhileLinkLost: 0,
      duplicateFires: 0,
      friendlyEngagements: 0,
      firesWithoutAuthorization: 0,
    });
  });
}
