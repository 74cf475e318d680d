import t from 'tap';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';

/**
 * Reliability: hil-configs/scenarios/link-faults.yaml (noisy radar link; launcher
 * unplugged, silent, NAK-all and slow) in virtual time reports every safety counter 0.
 */
t.test('link-faults scenario in virtual time: every safety counter 0', async (t) => {
  const loaded = await loadBenchConfig('hil-configs/sim.yaml');
  const result = await runBench({
    loaded,
    scenarioFile: 'hil-configs/scenarios/link-faults.yaml',
    virtualTime: true,
    broker: 'none',
  });
  const s = result.summary;
  t.comment(
    `link-faults: safety ${JSON.stringify(s.safety)}; hostiles ${s.hostiles}, intercepted ${s.intercepted}, ` +
      `leakers ${s.leakers}, launches ${s.launches}; launcher link ${JSON.stringify(result.linkCounters['launcher-1'])}`,
  );
  t.same(s.safety, {
    firesWhileLinkLost: 0,
    duplicateFires: 0,
    friendlyEngagements: 0,
    firesWithoutAuthorization: 0,
  });
  t.ok(
    Object.values(s.safety).every((n) => n === 0),
    'all safety counters 0',
  );
});
