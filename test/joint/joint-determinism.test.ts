import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { runMode } from './joint-truth.js';

// Two joint runs of 100 simulated seconds.
t.setTimeout(600_000);

t.test('joint-raid linked: every node’s recording and coordination summary are the same run to run', async (t) => {
  const file = 'hil-configs/scenarios/joint-raid.yaml';
  const first = await runMode(file, 'linked');
  const again = await runMode(file, 'linked');
  for (const [i, node] of first.result.nodes.entries()) {
    const name = `joint-raid.${node.nodeId}.run`;
    const bytes = await readFile(join(first.outputDir, name));
    t.ok(bytes.equals(await readFile(join(again.outputDir, name))), `${node.nodeId}: byte-identical`);
    t.same(node.coordination, again.result.nodes[i]!.coordination, `${node.nodeId}: the same coordination summary`);
  }
  t.same(first.result.outcome, again.result.outcome, 'the same joint outcome');
});
