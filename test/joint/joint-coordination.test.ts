import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { replayCoreFrom } from '../../src/cli/commands/replay.js';
import { replayRun } from '../../src/record/replay.js';
import { readRunFile } from '../../src/record/run-reader.js';
import { judgeFromTruth, runMode } from './joint-truth.js';

// Three joint runs of 100 simulated seconds (about 12 s of wall time each, more on a loaded machine).
t.setTimeout(600_000);

t.test(
  'joint-raid: coordination saves rounds and assets against picture-only and unlinked, judged by truth',
  async (t) => {
    const file = 'hil-configs/scenarios/joint-raid.yaml';
    const linked = await runMode(file, 'linked');
    const pictureOnly = await runMode(file, 'picture-only');
    const unlinked = await runMode(file, 'unlinked');
    const L = await judgeFromTruth(linked.outputDir, linked.scenario, linked.result);
    const P = await judgeFromTruth(pictureOnly.outputDir, pictureOnly.scenario, pictureOnly.result);
    const U = await judgeFromTruth(unlinked.outputDir, unlinked.scenario, unlinked.result);
    const perKill = (j: typeof L): number => j.launches / j.killed.size;
    const hostiles = linked.scenario.targets.filter((x) => x.iff === 'hostile').length;
    t.comment(
      `truth — linked: ${L.killed.size}/${hostiles} killed, ${L.assetLeakers.size} asset leakers, ${L.launches} launches, ${L.duplicates.length} duplicates; ` +
        `picture-only: ${P.killed.size}, ${P.assetLeakers.size}, ${P.launches}, ${P.duplicates.length}; ` +
        `unlinked: ${U.killed.size}, ${U.assetLeakers.size}, ${U.launches}, ${U.duplicates.length}`,
    );

    // The raid is what it claims to be: every hostile that was not destroyed came down on an asset.
    for (const [mode, j] of [
      ['linked', L],
      ['picture-only', P],
      ['unlinked', U],
    ] as const) {
      t.same([...j.impacted].sort(), [...j.assetLeakers].sort(), `${mode}: every impact is on a defended asset`);
      t.equal(j.killed.size + j.impacted.size, hostiles, `${mode}: every hostile was destroyed or impacted`);
    }
    // Some threats only one node's own radar holds (the other learns them from the picture, or never).
    const onlyOwn = (i: number): string[] =>
      linked.result.nodes[i]!.firstDetection.filter(
        (d) =>
          d.ownS !== null &&
          linked.result.nodes[1 - i]!.firstDetection.find((e) => e.targetId === d.targetId)!.ownS === null,
      ).map((d) => d.targetId);
    t.ok(
      onlyOwn(0).length >= 1 && onlyOwn(1).length >= 1,
      `threats only A sees (${onlyOwn(0)}) and only B sees (${onlyOwn(1)})`,
    );

    // The comparisons, with margins no run passes by chance: without coordination both nodes engage
    // the threats in the middle (at least 4 duplicate engagements), run out of rounds and let at
    // least 2 threats onto an asset.
    t.equal(L.duplicates.length, 0, `linked: no duplicate engagement in truth (${JSON.stringify(L.duplicates)})`);
    t.ok(P.duplicates.length >= 4, `picture-only: ${P.duplicates.length} duplicate engagements (≥ 4)`);
    t.ok(U.duplicates.length >= 4, `unlinked: ${U.duplicates.length} duplicate engagements (≥ 4)`);
    t.ok(
      perKill(L) <= perKill(P) - 0.4 && perKill(L) <= perKill(U) - 0.4,
      `rounds per kill: linked ${perKill(L).toFixed(2)} at least 0.4 below picture-only ${perKill(P).toFixed(2)} and unlinked ${perKill(U).toFixed(2)}`,
    );
    t.equal(L.assetLeakers.size, 0, 'linked: no asset leaker');
    t.ok(U.assetLeakers.size >= 2, `unlinked: ${U.assetLeakers.size} asset leakers (≥ 2): linked has fewer`);
    t.ok(P.assetLeakers.size >= 2, `picture-only: ${P.assetLeakers.size} asset leakers (≥ 2)`);
    t.ok(L.killed.size >= U.killed.size + 2, `intercepted: linked ${L.killed.size} ≥ unlinked ${U.killed.size} + 2`);
    for (const id of U.killed) t.ok(L.killed.has(id), `${id}, intercepted unlinked, is intercepted linked`);

    // The run's own figures (the side-by-side table) agree with the truth judged here.
    for (const [mode, run, j] of [
      ['linked', linked, L],
      ['picture-only', pictureOnly, P],
      ['unlinked', unlinked, U],
    ] as const) {
      const o = run.result.outcome;
      t.same(
        [o.intercepted, o.assetLeakers, o.launches, o.duplicateEngagements],
        [j.killed.size, j.assetLeakers.size, j.launches, j.duplicates.length],
        `${mode}: the table's intercepts, asset leakers, launches and duplicates are the truth's`,
      );
    }
    t.same(
      linked.result.outcome.coordinationDuplicates,
      { linked: 0, lost: 0 },
      'no duplicate counted by coordination',
    );

    for (const node of linked.result.nodes) {
      const runFile = join(linked.outputDir, `joint-raid.${node.nodeId}.run`);
      const bytes = await readFile(runFile);
      t.ok(bytes.includes(Buffer.from('"partner-holds"')), `${node.nodeId}: the partner holds are a recorded input`);
      const verdict = replayRun(await readRunFile(runFile), (m) => replayCoreFrom(m.coreConfig));
      t.equal(verdict.identical, true, `${node.nodeId} replays: ${verdict.identical ? 'identical' : verdict.reason}`);
      t.same(Object.values(node.run.summary.safety), [0, 0, 0, 0], `${node.nodeId}: safety counters 0`);
      t.ok(node.coordination!.counters.claimsSent > 0, `${node.nodeId}: claimed engagements`);
      t.ok(
        node.coordination!.events.some((e) => e.kind === 'coordination-restored'),
        `${node.nodeId}: coordination established (and recorded in its summary)`,
      );
    }
    t.equal(unlinked.result.network['node-a>node-b'], undefined, 'unlinked: no inter-node message at all');
    t.equal(pictureOnly.result.nodes[0]!.coordination, null, 'picture-only: no coordination');
  },
);
