import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { tempDir } from '../bridge/support/drive.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { JointBrokers, type NodeName } from './support/joint-brokers.js';
import { CLI, exitOf, startJointNodes } from './support/joint-node-processes.js';

/**
 * Fusion across node processes: two `shieldlink run --real-time` processes from the bench
 * configs of hil-configs/joint/, each on its own Mosquitto, the brokers bridged as committed.
 * Node B's world holds one hostile ballistic missile; node A's world holds none (its radar sees
 * nothing at all), and A's battery stands beside B's. Node A's core still tracks the threat: B's
 * releases cross the bridge, A fuses them and feeds the partner-only joint track to its core as
 * `partner.node-b` (whether A then engages it is coordination's call: it holds fire while B's
 * claim on it is live). Asserted from A's run summary (its core's confirmed tracks that only the
 * partner feed made) and its recording
 * (`replay --verify` reproduces it, partner feed inputs included).
 */

const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd');
const SCENARIO = fileURLToPath(new URL('../../hil-configs/scenarios/single-ballistic.yaml', import.meta.url));
const DURATION_S = 90;

/** Node A's scenario: single-ballistic without its target and without its (now unreachable) verdicts. */
function emptySkyScenario(dir: string): string {
  const text = readFileSync(SCENARIO, 'utf8')
    .replace(/^targets:\n(?: {2}.*\n)+/m, 'targets: []\n')
    .replace(/^measurements:\n(?: {2}.*\n)+/m, '');
  if (!/^targets: \[\]$/m.test(text) || /^measurements:/m.test(text)) throw new Error('scenario edit failed');
  const file = join(dir, 'empty-sky.yaml');
  writeFileSync(file, text);
  return file;
}

interface JointCounters {
  partnerFeedMeasurements: number;
  partnerOnlyTracksConfirmed: number;
  partnerFedTracksConfirmed: number;
  fusionUpdates: number;
}

t.test(
  "a threat only node B's radar sees is tracked by node A's core through the partner feed, across bridged brokers",
  { skip, timeout: 300_000 },
  async (t) => {
    const dir = tempDir('shieldlink-joint-feed-');
    t.teardown(dir.cleanup);
    const brokers = await JointBrokers.start(join(dir.path, 'brokers'));
    t.teardown(() => brokers.stop());
    const scenarios: Record<NodeName, string> = { 'node-a': emptySkyScenario(dir.path), 'node-b': SCENARIO };
    const { output, exits } = await startJointNodes({
      dir: dir.path,
      brokers,
      scenarios,
      durationS: DURATION_S,
      teardown: (fn) => t.teardown(fn),
    });
    const [exitA] = await exits;
    t.equal(exitA, 0, "node A's run ends well", { output: output['node-a'] });

    const summaryA = JSON.parse(readFileSync(join(dir.path, 'node-a', 'empty-sky.summary.json'), 'utf8')) as {
      linkCounters: { joint?: JointCounters };
    };
    const joint = summaryA.linkCounters.joint;
    t.ok(joint !== undefined, "node A's summary has its joint picture's counters", { output: output['node-a'] });
    t.ok((joint?.fusionUpdates ?? 0) > 0, 'node A fused');
    t.ok(
      (joint?.partnerFeedMeasurements ?? 0) > 0,
      `node B's track went into node A's core (${JSON.stringify(joint)})`,
    );
    t.ok(
      (joint?.partnerOnlyTracksConfirmed ?? 0) >= 1,
      `node A's core confirmed a track only the partner feed made (${JSON.stringify(joint)})`,
      { outputA: output['node-a'], outputB: output['node-b'] },
    );

    // A's recording carries the partner feed as recorded inputs: it replays on its own, byte for byte.
    const replay = spawn(process.execPath, [CLI, 'replay', join(dir.path, 'node-a', 'empty-sky.run'), '--verify'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let replayOut = '';
    replay.stdout!.on('data', (d: Buffer) => (replayOut += d.toString()));
    replay.stderr!.on('data', (d: Buffer) => (replayOut += d.toString()));
    t.equal(await exitOf(replay), 0, `node A's recording replays and verifies\n${replayOut}`);
  },
);
