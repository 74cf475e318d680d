import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { replayCoreFrom } from '../../src/cli/commands/replay.js';
import { jointJunit, jointMeasurements } from '../../src/cli/commands/run-joint.js';
import { runJoint } from '../../src/compose/run-joint.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { loadScenario } from '../../src/config/load-scenario.js';
import { replayRun } from '../../src/record/replay.js';
import { readRunFile } from '../../src/record/run-reader.js';

const CONFIG = 'hil-configs/sim.yaml';
const SCENARIO = 'hil-configs/scenarios/joint-picture.yaml';

t.test(
  'joint-picture: two nodes in one process, deterministic, each replays, the joint picture beats each alone',
  async (t) => {
    const loaded = await loadBenchConfig(CONFIG);
    const scenario = await loadScenario(SCENARIO);
    const run = async (name: string) => {
      const outputDir = await mkdtemp(join(tmpdir(), `sl-joint-${name}-`));
      return { outputDir, result: await runJoint({ loaded, scenario, scenarioFile: SCENARIO, outputDir }) };
    };
    const a = await run('a');
    const b = await run('b');

    for (const [i, node] of a.result.nodes.entries()) {
      const file = join(a.outputDir, `joint-picture.${node.nodeId}.run`);
      const bytesA = await readFile(file);
      const bytesB = await readFile(join(b.outputDir, `joint-picture.${node.nodeId}.run`));
      t.ok(bytesA.equals(bytesB), `${node.nodeId}: two runs give byte-identical recordings`);
      t.equal(node.run.summary.recordingSha256, b.result.nodes[i]!.run.summary.recordingSha256);
      const contents = await readRunFile(file);
      const verdict = replayRun(contents, (m) => replayCoreFrom(m.coreConfig));
      t.equal(verdict.identical, true, `${node.nodeId} replays: ${verdict.identical ? 'identical' : verdict.reason}`);
      t.same(Object.values(node.run.summary.safety), [0, 0, 0, 0], `${node.nodeId}: safety counters 0`);
      t.ok(
        bytesA.includes(Buffer.from(`"partner.`)),
        `${node.nodeId}: what the partner told the core is a recorded input (partner feed)`,
      );
    }
    t.same(a.result.network, b.result.network, 'the network delivered the same messages both times');

    const [nodeA, nodeB] = a.result.nodes;
    // The joint picture at each node is at least as good as the better node alone (GOSPA mean).
    const bestAlone = Math.min(nodeA!.own.gospa!.mean, nodeB!.own.gospa!.mean);
    for (const node of a.result.nodes) {
      t.ok(
        node.joint.gospa!.mean <= node.own.gospa!.mean,
        `${node.nodeId}: joint GOSPA ${node.joint.gospa!.mean.toFixed(1)} ≤ alone ${node.own.gospa!.mean.toFixed(1)}`,
      );
      t.ok(node.joint.siap.completeness! > node.own.siap.completeness!, `${node.nodeId}: joint completeness higher`);
      t.ok(node.joint.siap.ambiguity! <= 1.05, `${node.nodeId}: SIAP ambiguity ${node.joint.siap.ambiguity} ≤ 1.05`);
      // One world (a kill by either node ends the target for both) and partner tracks that end
      // when the partner stops releasing them: no ghost of a destroyed target in the joint picture.
      t.ok(
        node.joint.siap.spuriousness! <= 0.05,
        `${node.nodeId}: SIAP spuriousness ${node.joint.siap.spuriousness} ≤ 0.05`,
      );
      // The aircraft both radars hold all run is fused, not shown twice.
      t.ok(node.counters.fusedPairs > 100, `${node.nodeId}: ${node.counters.fusedPairs} fused pairs`);
      // Local tracks carry the core filter's covariance; the fused tracks are consistent with truth.
      const nees = node.fusedNees;
      t.ok(nees.samples > 50, `${node.nodeId}: ${nees.samples} fused-track NEES samples`);
      t.ok(
        nees.mean! >= nees.lower && nees.mean! <= nees.upper && nees.inBand95! >= 0.9,
        `${node.nodeId}: fused NEES mean ${nees.mean?.toFixed(2)}, ${(nees.inBand95! * 100).toFixed(0)} % in the 95 % band`,
      );
    }
    t.ok(
      Math.min(nodeA!.joint.gospa!.mean, nodeB!.joint.gospa!.mean) <= bestAlone,
      `best joint GOSPA ≤ better node alone (${bestAlone.toFixed(1)})`,
    );
    // Node A holds the eastern threats only through B: earlier, or at all.
    const earlier = nodeA!.firstDetection.filter(
      (d) => d.jointS !== null && (d.ownS === null || d.jointS + 10 < d.ownS),
    );
    t.ok(earlier.length >= 3, `node A holds ${earlier.length} threats ≥ 10 s earlier or only through B`);
    const onlyB = nodeA!.firstDetection.find((d) => d.targetId === 'cm-4');
    t.equal(onlyB?.ownS, null, 'cm-4 is never in A’s own picture');
    t.not(onlyB?.jointS, null, 'but it is in A’s joint picture');
    t.ok(nodeA!.counters.partnerFeedMeasurements > 0, 'A’s core took partner-only threats');
    // The 5 s partition: messages were cut, not delivered late.
    t.ok(a.result.network['node-a>node-b']!.partitioned > 0, 'the partition window cut messages');
    for (const node of a.result.nodes)
      t.same(Object.keys(Object.values(node.intake)[0]!.dropped), [], `${node.nodeId}: no partner message dropped`);

    // The scenario's joint limits, per node: all met; an impossible one fails at every node, in JUnit too.
    const measured = jointMeasurements(a.result, scenario);
    t.ok(
      scenario.measurements.some((m) => m.metric.startsWith('joint.')),
      'joint-picture puts limits on joint figures',
    );
    for (const n of measured) for (const m of n.measurements) t.ok(m.pass, `${n.nodeId}: ${m.message}`);
    const strict = jointMeasurements(a.result, {
      ...scenario,
      measurements: [{ metric: 'joint.siap.spuriousness', max: -1, abs: false }],
    });
    t.same(
      strict.map((n) => n.measurements[0]!.pass),
      [false, false],
      'a limit no node meets fails at each node',
    );
    t.match(jointJunit(a.result, strict), /failures="2"/, 'and shows as two JUnit failures');
  },
);
