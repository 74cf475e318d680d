import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { replayCoreFrom } from '../../src/cli/commands/replay.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { replayRun } from '../../src/record/replay.js';
import { readRunFile } from '../../src/record/run-reader.js';

const CONFIG = 'hil-configs/sim.yaml';
const SCENARIO = 'hil-configs/scenarios/single-ballistic.yaml';

t.test(
  'a simulated single-ballistic run in virtual time intercepts, stays safe, and replays identically',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-runbench-'));
    const loaded = await loadBenchConfig(CONFIG);
    const run = (name: string) =>
      runBench({
        loaded,
        scenarioFile: SCENARIO,
        virtualTime: true,
        broker: 'none',
        recordFile: join(dir, `${name}.run`),
        truthFile: join(dir, `${name}.truth.jsonl`),
      });
    const a = await run('a');
    const b = await run('b');

    const s = a.summary;
    t.equal(s.hostiles, 1);
    t.equal(s.intercepted, 1, 'the ballistic target is intercepted');
    t.equal(s.leakers, 0);
    t.equal(s.launches, 1, 'one interceptor, no waste');
    t.same(s.safety, {
      firesWhileLinkLost: 0,
      duplicateFires: 0,
      friendlyEngagements: 0,
      firesWithoutAuthorization: 0,
    });
    t.ok(s.launchErrorUs.count === 1 && Math.abs(s.launchErrorUs.p99!) < 50, `launch error ${s.launchErrorUs.p99} us`);

    const bytesA = await readFile(join(dir, 'a.run'));
    const bytesB = await readFile(join(dir, 'b.run'));
    t.ok(bytesA.equals(bytesB), 'two runs give byte-identical recordings');
    t.equal(a.summary.recordingSha256, b.summary.recordingSha256);
    t.equal(
      await readFile(join(dir, 'a.truth.jsonl'), 'utf8'),
      await readFile(join(dir, 'b.truth.jsonl'), 'utf8'),
      'and identical truth logs',
    );

    const contents = await readRunFile(join(dir, 'a.run'));
    t.equal(contents.complete, true);
    t.ok(
      contents.records.some((r) => r.kind === 'audit'),
      'operator commands are audited into the recording',
    );
    t.notMatch(bytesA.toString('utf8'), /"signature"|"secret"/, 'no signatures or key material in the recording');
    const threats = contents.records.filter((r) => r.kind === 'threats');
    t.ok(threats.length > 5, `${threats.length} threats lines (one a second while the target flies)`);
    const first = threats[0] as unknown as { threats: readonly { kind: string }[] };
    t.equal(first.threats[0]?.kind, 'impact', 'the ballistic target has a predicted impact point');
    const verdict = replayRun(contents, (m) => replayCoreFrom(m.coreConfig));
    t.equal(verdict.identical, true, verdict.identical ? 'identical' : verdict.reason);
    if (verdict.identical) t.equal(verdict.outputsSha256, a.summary.outputsSha256);
  },
);

t.test('replay reports a diverging core', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-runbench-'));
  const loaded = await loadBenchConfig(CONFIG);
  await runBench({
    loaded,
    scenarioFile: SCENARIO,
    virtualTime: true,
    durationS: 40,
    broker: 'none',
    recordFile: join(dir, 'a.run'),
  });
  const contents = await readRunFile(join(dir, 'a.run'));
  // A core with a different tracker (process noise) must not replay identically.
  const verdict = replayRun(contents, (m) => {
    const config = m.coreConfig as { tracking: Record<string, unknown> };
    return replayCoreFrom({ ...config, tracking: { ...config.tracking, processNoiseM2PerS3: 5 } });
  });
  t.equal(verdict.identical, false);
});
