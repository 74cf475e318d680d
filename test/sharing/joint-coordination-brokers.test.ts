import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import t from 'tap';
import { tempDir } from '../bridge/support/drive.js';
import { until } from '../bridge/support/until.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { JointBrokers, NODES, type NodeName, PASSWORD } from './support/joint-brokers.js';
import { CLI, exitOf, startJointNodes } from './support/joint-node-processes.js';

/**
 * Engagement coordination across node processes: two `shieldlink run --real-time` processes from
 * hil-configs/joint/, each on its own Mosquitto, the brokers bridged as committed (tracks, ledger
 * and engagement intents cross), and their simulators sharing one sky (a kill in one world ends
 * the target in the other). The two batteries stand 55 m apart and both worlds hold the same
 * hostile ballistic missile aimed at them, so both radars see it and both cores could engage it.
 * Signed intents cross the bridges both ways; exactly one node fires at the threat, the other
 * holds while the owner's claim is live and after its kill; no duplicate is counted; each node's
 * recording replays on its own. Then node A's broker goes away for a few seconds: node B's retained
 * status says `coordination-lost` for node A (since when), its log says so, and both come back.
 */

const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd');
const SCENARIO = fileURLToPath(new URL('../../hil-configs/scenarios/single-ballistic.yaml', import.meta.url));
const DURATION_S = Number(process.env.COORD_DURATION_S ?? 105);
/** When node A's broker goes away (s after the start): after the threat is dealt with, before the run ends. */
const OUTAGE_AT_S = 68;

/**
 * single-ballistic without its verdicts (the node that holds fire does not intercept in its own
 * world), and re-arming the launcher every 5 s: on a loaded machine a stalled I/O thread can starve
 * the launcher's heartbeat watchdog, which latches it SAFE (as it must) — re-arming keeps the node
 * that holds fire able to fire, so its holding is the coordination's doing.
 */
function sharedThreatScenario(dir: string): string {
  const rearm = Array.from({ length: 20 }, (_, i) => (i + 1) * 5)
    .map((atS) => `  - { atS: ${atS}, command: arm, launcher: launcher-1, operators: [op-a, op-b] }\n`)
    .join('');
  const text = readFileSync(SCENARIO, 'utf8')
    .replace(/^measurements:\n(?: {2}.*\n)+/m, '')
    .replace(/^operatorCommands:\n/m, `operatorCommands:\n${rearm}`);
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
        killHolds: number;
      };
      state: string;
      events: { kind: string; partnerId?: string }[];
    };
    sharedSky?: { killsSent: number; killsReceived: number; endedHere: number; dropped: number };
  };
}

interface CoordinationStatus {
  state: string;
  partners: Record<string, { state: string; since: string | null; claims: number }>;
}

/** The truth log's records of `kind`. */
function truthOf(dir: string, node: NodeName, kind: string): Record<string, unknown>[] {
  return readFileSync(join(dir, node, 'shared-threat.truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes(`"kind":"${kind}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

t.test(
  'two node processes over bridged brokers: exactly one fires at a shared threat; coordination lost is shown and regained',
  { skip, timeout: 300_000 },
  async (t) => {
    const dir = tempDir('shieldlink-joint-coord-');
    t.teardown(dir.cleanup);
    const brokers = await JointBrokers.start(join(dir.path, 'brokers'));
    t.teardown(() => brokers.stop());
    const scenario = sharedThreatScenario(dir.path);
    const startedAt = Date.now();
    const { output, exits } = await startJointNodes({
      dir: dir.path,
      brokers,
      scenarios: { 'node-a': scenario, 'node-b': scenario },
      durationS: DURATION_S,
      teardown: (fn) => t.teardown(fn),
      sharedSky: true,
    });

    // Node B's retained status, as an operator's viewer on B's broker sees it.
    let statusB: CoordinationStatus | undefined;
    const seenB: string[] = [];
    const viewer = await mqtt.connectAsync(brokers.url('node-b'), {
      username: 'admin-node-b',
      password: PASSWORD('admin-node-b'),
      clientId: `admin-node-b-${process.pid}`,
      reconnectPeriod: 200,
    });
    t.teardown(() => viewer.endAsync(true));
    viewer.on('message', (_topic, payload) => {
      const s = JSON.parse(payload.toString()) as { coordination?: CoordinationStatus };
      if (s.coordination === undefined) return;
      statusB = s.coordination;
      const line = `${s.coordination.partners['node-a']?.state}`;
      if (seenB.at(-1) !== line) seenB.push(line);
    });
    await viewer.subscribeAsync('shieldlink/v1/node-b/status', { qos: 1 });
    const partnerA = (): string | undefined => statusB?.partners['node-a']?.state;
    t.ok(await until(() => partnerA() === 'coordinated', 60_000), `node B's status: coordinated with A (${seenB})`);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + OUTAGE_AT_S * 1000 - Date.now())));
    await brokers.kill('node-a');
    t.ok(
      await until(() => partnerA() === 'coordination-lost', 15_000),
      `node B's status says coordination with A is lost (${JSON.stringify(statusB)})`,
    );
    t.equal(statusB?.state, 'coordination-lost');
    const lostSince = statusB?.partners['node-a']?.since ?? '';
    t.ok(Date.parse(lostSince) > startedAt + OUTAGE_AT_S * 1000, `since when: ${lostSince}`);
    t.match(output['node-b'], /partner node-a: coordination lost \(silent \d+ ms\) — defending own assets alone/);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await brokers.start('node-a');
    t.ok(
      await until(() => partnerA() === 'coordinated', 25_000),
      `node B's status: coordinated again (${JSON.stringify(statusB)})`,
    );
    t.same(seenB.slice(-3), ['coordinated', 'coordination-lost', 'coordinated'], 'lost and regained in status');

    t.same(await exits, [0, 0], 'both runs end well', { outputA: output['node-a'], outputB: output['node-b'] });
    const summaries = NODES.map(
      (node) => JSON.parse(readFileSync(join(dir.path, node, 'shared-threat.summary.json'), 'utf8')) as NodeSummary,
    );
    const launches = NODES.map((node) => truthOf(dir.path, node, 'launch').length);
    t.comment(
      JSON.stringify({
        launches,
        sky: summaries.map((s) => s.linkCounters.sharedSky),
        coord: summaries.map((s) => ({
          ...s.linkCounters.coordination,
          events: s.linkCounters.coordination?.events.map((e) => e.kind),
        })),
      }),
    );
    // Exactly one node fires at the shared threat; the other holds (its launcher able to fire).
    t.equal(launches.filter((n) => n > 0).length, 1, `exactly one node fired (rounds by node: ${launches})`);
    const shooter = launches[0]! > 0 ? 0 : 1;
    const holder = 1 - shooter;
    t.equal(
      truthOf(dir.path, NODES[shooter]!, 'kill').length,
      1,
      `${NODES[shooter]} destroyed the threat in its world`,
    );
    t.equal(
      truthOf(dir.path, NODES[holder]!, 'destroyed-elsewhere').length,
      1,
      `one sky: the threat ended in ${NODES[holder]}'s world too`,
    );
    t.equal(truthOf(dir.path, NODES[holder]!, 'impact').length, 0, `nothing reached ${NODES[holder]}'s ground`);
    for (const [i, node] of NODES.entries()) {
      const c = summaries[i]!.linkCounters.coordination;
      t.ok(c !== undefined, `${node} coordinated`);
      t.same(c?.counters.duplicateEngagements, { linked: 0, lost: 0 }, `${node}: no duplicate engagement`);
      t.ok(
        c?.events.some((e) => e.kind === 'coordination-restored'),
        `${node} heard its partner's signed intents over the bridges`,
      );
      t.ok((c?.counters.killHolds ?? 0) >= 1, `${node} held fire on the killed threat (kill assessment)`);
    }
    t.ok(
      summaries[1]!.linkCounters.coordination?.events.some(
        (e) => e.kind === 'coordination-lost' && e.partnerId === 'node-a',
      ),
      "node B's recorded events carry the loss",
    );

    // Each node's recording replays on its own, byte for byte (holds and partner feed are recorded inputs).
    for (const node of NODES) {
      const replay = spawn(process.execPath, [CLI, 'replay', join(dir.path, node, 'shared-threat.run'), '--verify'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let replayOut = '';
      replay.stdout!.on('data', (d: Buffer) => (replayOut += d.toString()));
      replay.stderr!.on('data', (d: Buffer) => (replayOut += d.toString()));
      t.equal(await exitOf(replay), 0, `${node}'s recording replays and verifies\n${replayOut}`);
    }
  },
);
