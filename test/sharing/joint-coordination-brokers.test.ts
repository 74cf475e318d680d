import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { tempDir } from '../bridge/support/drive.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { JointBrokers, NODES } from './support/joint-brokers.js';
import { startJointNodes } from './support/joint-node-processes.js';

/**
 * Engagement coordination across node processes: two `shieldlink run --real-time` processes from
 * hil-configs/joint/, each on its own Mosquitto, the brokers bridged as committed (tracks, ledger
 * and engagement intents cross). The two batteries stand 55 m apart and both worlds hold the same
 * hostile ballistic missile aimed at them, so both radars see it and both cores could engage it.
 * Signed intents cross the bridges both ways, each node hears and verifies its partner's
 * (coordinated, not alone), the threat is claimed, and neither counts a duplicate engagement while
 * linked. Not asserted yet: that only one node fires — in this bench both still fire (the two
 * processes fly separate copies of the threat, and a kill in one world does not end the other's).
 */

const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd');
const SCENARIO = fileURLToPath(new URL('../../hil-configs/scenarios/single-ballistic.yaml', import.meta.url));
const DURATION_S = Number(process.env.COORD_DURATION_S ?? 105);

/** single-ballistic without its verdicts (the node that holds fire lets its copy of the threat through). */
function scenarioWithoutVerdicts(dir: string): string {
  const text = readFileSync(SCENARIO, 'utf8').replace(/^measurements:\n(?: {2}.*\n)+/m, '');
  if (/^measurements:/m.test(text)) throw new Error('scenario edit failed');
  const file = join(dir, 'shared-threat.yaml');
  writeFileSync(file, text);
  return file;
}

interface NodeSummary {
  summary: { launches: number; firesPlanned: number };
  linkCounters: {
    coordination?: {
      counters: {
        duplicateEngagements: { linked: number; lost: number };
        claimsSent: number;
        messagesSent: number;
        mustFireFires: number;
      };
      state: string;
      events: { kind: string }[];
    };
    joint?: { fusedPairs: number };
  };
}

t.test(
  'two node processes over bridged brokers exchange verified engagement intents; no duplicate counted while linked',
  { skip, timeout: 300_000 },
  async (t) => {
    const dir = tempDir('shieldlink-joint-coord-');
    t.teardown(dir.cleanup);
    const brokers = await JointBrokers.start(join(dir.path, 'brokers'));
    t.teardown(() => brokers.stop());
    const scenario = scenarioWithoutVerdicts(dir.path);
    const { output, exits } = await startJointNodes({
      dir: dir.path,
      brokers,
      scenarios: { 'node-a': scenario, 'node-b': scenario },
      durationS: DURATION_S,
      teardown: (fn) => t.teardown(fn),
    });
    t.same(await exits, [0, 0], 'both runs end well', { outputA: output['node-a'], outputB: output['node-b'] });
    const summaries = NODES.map(
      (node) => JSON.parse(readFileSync(join(dir.path, node, 'shared-threat.summary.json'), 'utf8')) as NodeSummary,
    );
    const [a, b] = summaries as [NodeSummary, NodeSummary];
    t.comment(
      JSON.stringify(
        summaries.map((s) => ({
          launches: s.summary.launches,
          fires: s.summary.firesPlanned,
          coord: { ...s.linkCounters.coordination, events: s.linkCounters.coordination?.events.map((e) => e.kind) },
        })),
      ),
    );
    for (const [node, s] of [
      ['node-a', a],
      ['node-b', b],
    ] as const) {
      t.ok(s.linkCounters.coordination !== undefined, `${node} coordinated`);
      t.equal(
        s.linkCounters.coordination?.counters.duplicateEngagements.linked,
        0,
        `${node}: no duplicate engagement while linked`,
      );
    }
    t.ok(
      (a.linkCounters.coordination?.counters.claimsSent ?? 0) +
        (b.linkCounters.coordination?.counters.claimsSent ?? 0) >
        0,
      'the threat was claimed',
    );
    for (const [node, s] of [
      ['node-a', a],
      ['node-b', b],
    ] as const) {
      // Only a verified intent of the partner, carried by the bridges, makes a partner `live`.
      t.ok(
        s.linkCounters.coordination?.events.some((e) => e.kind === 'coordination-restored'),
        `${node} heard its partner's signed intents over the bridges`,
      );
      t.equal(s.linkCounters.coordination?.state, 'coordinated', `${node} ends coordinated`);
    }
  },
);
