import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { replayCoreFrom } from '../../src/cli/commands/replay.js';
import { type JointMode, type JointRunResult, runJoint } from '../../src/compose/run-joint.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { loadScenario } from '../../src/config/load-scenario.js';
import { replayRun } from '../../src/record/replay.js';
import { readRunFile } from '../../src/record/run-reader.js';

const CONFIG = 'hil-configs/sim.yaml';

async function runMode(file: string, mode: JointMode): Promise<{ outputDir: string; result: JointRunResult }> {
  const loaded = await loadBenchConfig(CONFIG);
  const scenario = await loadScenario(file);
  const outputDir = await mkdtemp(join(tmpdir(), `sl-jcoord-${mode}-`));
  return { outputDir, result: await runJoint({ loaded, scenario, scenarioFile: file, outputDir, mode }) };
}

/** Hostile targets with a truth record of `kind` (impact: reached the ground) in any node's world. */
async function hostileTargets(
  kind: 'impact' | 'kill',
  outputDir: string,
  name: string,
  result: JointRunResult,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const n of result.nodes) {
    const text = await readFile(join(outputDir, `${name}.${n.nodeId}.truth.jsonl`), 'utf8');
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      const r = JSON.parse(line) as { kind: string; targetId?: string; iff?: string };
      if (r.kind === kind && r.iff === 'hostile' && r.targetId !== undefined) out.add(r.targetId);
    }
  }
  return out;
}
const impacted = (outputDir: string, name: string, result: JointRunResult): Promise<Set<string>> =>
  hostileTargets('impact', outputDir, name, result);
const killed = (outputDir: string, name: string, result: JointRunResult): Promise<Set<string>> =>
  hostileTargets('kill', outputDir, name, result);

t.test('joint-raid: coordination beats picture-only and unlinked; deterministic; each node replays', async (t) => {
  const file = 'hil-configs/scenarios/joint-raid.yaml';
  const linked = await runMode(file, 'linked');
  const again = await runMode(file, 'linked');
  const pictureOnly = await runMode(file, 'picture-only');
  const unlinked = await runMode(file, 'unlinked');
  const L = linked.result.outcome;
  const P = pictureOnly.result.outcome;
  const U = unlinked.result.outcome;
  t.comment(`rounds per kill: linked ${L.roundsPerKill}, picture-only ${P.roundsPerKill}, unlinked ${U.roundsPerKill}`);

  for (const [i, node] of linked.result.nodes.entries()) {
    const runFile = join(linked.outputDir, `joint-raid.${node.nodeId}.run`);
    const bytes = await readFile(runFile);
    t.ok(
      bytes.equals(await readFile(join(again.outputDir, `joint-raid.${node.nodeId}.run`))),
      `${node.nodeId}: byte-identical`,
    );
    t.same(node.coordination, again.result.nodes[i]!.coordination, `${node.nodeId}: the same coordination summary`);
    t.ok(bytes.includes(Buffer.from('"partner-holds"')), `${node.nodeId}: the partner holds are a recorded input`);
    const verdict = replayRun(await readRunFile(runFile), (m) => replayCoreFrom(m.coreConfig));
    t.equal(verdict.identical, true, `${node.nodeId} replays: ${verdict.identical ? 'identical' : verdict.reason}`);
    t.same(Object.values(node.run.summary.safety), [0, 0, 0, 0], `${node.nodeId}: safety counters 0`);
    t.equal(node.coordination!.counters.duplicateEngagements.linked, 0, `${node.nodeId}: no duplicate while linked`);
    t.ok(node.coordination!.counters.claimsSent > 0, `${node.nodeId}: claimed engagements`);
    t.ok(
      node.coordination!.events.some((e) => e.kind === 'coordination-restored'),
      `${node.nodeId}: coordination established (and recorded in its summary)`,
    );
  }
  t.same(L.coordinationDuplicates, { linked: 0, lost: 0 }, 'no duplicate counted by coordination');
  t.ok(
    L.roundsPerKill! < P.roundsPerKill!,
    `rounds per kill: linked ${L.roundsPerKill} < picture-only ${P.roundsPerKill}`,
  );
  t.ok(L.roundsPerKill! < U.roundsPerKill!, `rounds per kill: linked ${L.roundsPerKill} < unlinked ${U.roundsPerKill}`);
  t.ok(L.assetLeakers <= U.assetLeakers, `asset leakers: linked ${L.assetLeakers} ≤ unlinked ${U.assetLeakers}`);
  t.ok(P.duplicateEngagements > 0 && U.duplicateEngagements > 0, 'without coordination both nodes engage one threat');
  t.equal(unlinked.result.network['node-a>node-b'], undefined, 'unlinked: no inter-node message at all');
  t.equal(pictureOnly.result.nodes[0]!.coordination, null, 'picture-only: no coordination');
});

t.test(
  'joint-raid-partition: a 20 s partition mid-raid is reported, every duplicate counted, nothing lost',
  async (t) => {
    const file = 'hil-configs/scenarios/joint-raid-partition.yaml';
    const linked = await runMode(file, 'linked');
    const unlinked = await runMode(file, 'unlinked');
    for (const node of linked.result.nodes) {
      t.same(Object.values(node.run.summary.safety), [0, 0, 0, 0], `${node.nodeId}: safety counters 0`);
      const c = node.coordination!;
      t.ok(
        c.events.some((e) => e.kind === 'coordination-lost'),
        `${node.nodeId}: coordination lost is reported`,
      );
      t.ok(c.lostS >= 15, `${node.nodeId}: lost for ${c.lostS} s of the 20 s partition`);
      t.equal(c.state, 'coordinated', `${node.nodeId}: coordinated again after the partition`);
    }
    const o = linked.result.outcome;
    const counted = o.coordinationDuplicates!.linked + o.coordinationDuplicates!.lost;
    t.ok(
      counted >= o.duplicateEngagements,
      `every duplicate counted: ${counted} counted ≥ ${o.duplicateEngagements} in truth`,
    );
    t.ok(o.coordinationDuplicates!.lost > 0, 'the partition’s duplicates are counted as while lost');
    const lostTargets = await impacted(linked.outputDir, 'joint-raid-partition', linked.result);
    for (const id of await killed(unlinked.outputDir, 'joint-raid-partition', unlinked.result))
      t.notOk(lostTargets.has(id), `${id}, intercepted unlinked, does not leak linked through the partition`);
    t.ok(o.intercepted >= 1, 'the raid is engaged');
  },
);
