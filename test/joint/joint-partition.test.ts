import t from 'tap';
import { judgeFromTruth, runMode } from './joint-truth.js';

// Two joint runs of 100 simulated seconds.
t.setTimeout(600_000);

t.test(
  'joint-raid-partition: coordination lost for 20 s mid-raid fails safe, is reported, reconciled after',
  async (t) => {
    const file = 'hil-configs/scenarios/joint-raid-partition.yaml';
    const linked = await runMode(file, 'linked');
    const unlinked = await runMode(file, 'unlinked');
    const L = await judgeFromTruth(linked.outputDir, linked.scenario, linked.result);
    const U = await judgeFromTruth(unlinked.outputDir, unlinked.scenario, unlinked.result);
    t.comment(
      `truth — linked: ${L.killed.size} killed, ${L.assetLeakers.size} asset leakers, ${L.launches} launches, ${L.duplicates.length} duplicates; ` +
        `unlinked: ${U.killed.size}, ${U.assetLeakers.size}, ${U.launches}, ${U.duplicates.length}`,
    );
    for (const node of linked.result.nodes) {
      t.same(Object.values(node.run.summary.safety), [0, 0, 0, 0], `${node.nodeId}: safety counters 0`);
      const c = node.coordination!;
      const lost = c.events.filter((e) => e.kind === 'coordination-lost');
      t.ok(
        lost.some((e) => e.atMs >= Date.UTC(2026, 0, 1, 0, 0, 20) && e.atMs <= Date.UTC(2026, 0, 1, 0, 0, 24)),
        `${node.nodeId}: coordination lost is reported within 4 s of the cut at 20 s`,
      );
      t.ok(c.lostS >= 16 && c.lostS <= 21, `${node.nodeId}: lost for ${c.lostS} s of the 20 s partition`);
      t.equal(c.state, 'coordinated', `${node.nodeId}: coordinated again after the partition`);
    }
    // Reconciled after: the partner's snapshot restates the FIREs made apart, so each node counts
    // the duplicates of the partition — as made while coordination was lost.
    const o = linked.result.outcome;
    t.ok(L.duplicates.length >= 1, `the partition made duplicate engagements (${L.duplicates.length} in truth)`);
    t.equal(o.coordinationDuplicates!.linked, 0, 'none counted as made while linked');
    t.ok(
      o.coordinationDuplicates!.lost >= L.duplicates.length,
      `duplicates counted while lost ${o.coordinationDuplicates!.lost} ≥ ${L.duplicates.length} in truth`,
    );
    for (const node of linked.result.nodes)
      t.ok(
        node.coordination!.counters.duplicateEngagements.lost >= 1,
        `${node.nodeId} counted the partition’s duplicates`,
      );
    // Fail safe: no worse than each node alone.
    t.ok(
      L.assetLeakers.size <= U.assetLeakers.size,
      `asset leakers: linked ${L.assetLeakers.size} ≤ unlinked ${U.assetLeakers.size}`,
    );
    for (const id of U.killed) t.notOk(L.assetLeakers.has(id), `${id}, intercepted unlinked, does not leak linked`);
    t.ok(
      L.duplicates.length <= U.duplicates.length,
      `duplicates: linked ${L.duplicates.length} ≤ unlinked ${U.duplicates.length}`,
    );
  },
);
