import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import t from 'tap';
import { readMqttLog } from '../../src/export/mqtt-log.js';
import { markReplayed } from '../../src/export/replay-plan.js';
import { MOSQUITTO_SKIP, Mosquitto, mosquittoBinary } from '../bridge/support/mosquitto.js';
import { runCli } from '../cli/frames-io.js';

/**
 * raid-50 (40 simulated seconds) live on a real Mosquitto with a subscriber, then its recording
 * republished with `replay --publish --rate 10` onto a fresh Mosquitto with another subscriber:
 * the same messages in the same order, marked replayed, at about ten times the recorded pace.
 */
const missing = mosquittoBinary() === null ? MOSQUITTO_SKIP : false;
if (missing !== false && process.env.CI === 'true') throw new Error(`CI=true and ${missing}`);
if (missing !== false) t.comment(`SKIP replay --publish test: ${missing}`);

interface Seen {
  readonly topic: string;
  readonly payload: Buffer;
  readonly atMs: number;
  readonly replay: string | undefined;
}

async function subscriber(url: string): Promise<{ seen: Seen[]; stop: () => Promise<void> }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `sub-${process.pid}-${url.slice(-5)}` });
  const seen: Seen[] = [];
  client.on('message', (topic, payload, packet) => {
    const property = packet.properties?.userProperties?.replay;
    seen.push({
      topic,
      payload,
      atMs: performance.now(),
      replay: Array.isArray(property) ? property[0] : property,
    });
  });
  await client.subscribeAsync('shieldlink/#', { qos: 1 });
  return { seen, stop: () => client.endAsync(true) };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = performance.now();
  while (!condition() && performance.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 50));
}

t.test(
  'replay --publish --rate 10 republishes what a live subscriber saw, in order, marked',
  { skip: missing },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'shieldlink-replay-pub-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const runFile = join(dir, 'runs', 'raid-50.run');

    const liveBroker = await Mosquitto.start(mkdtempSync(join(dir, 'live-')));
    t.teardown(() => liveBroker.stop());
    const live = await subscriber(liveBroker.url);
    t.teardown(() => live.stop());
    const run = await runCli([
      'run',
      '--scenario',
      'hil-configs/scenarios/raid-50.yaml',
      '--duration',
      '40',
      '--record',
      runFile,
      '--broker',
      liveBroker.url,
      '--quiet',
    ]);
    t.ok(run.code === 0 || run.code === 1, `run completed (exit ${run.code}; ${run.stderr.slice(0, 300)})`);
    const log = await readMqttLog(runFile.replace(/\.run$/, '.mqtt.jsonl'));
    await until(() => live.seen.length >= log.entries.length, 10_000);
    t.equal(live.seen.length, log.entries.length, `the live subscriber saw the ${log.entries.length} logged messages`);
    t.same(
      live.seen.map((m) => m.topic),
      log.entries.map((e) => e.topic),
      'the MQTT log holds what the live subscriber saw, in order',
    );

    const replayBroker = await Mosquitto.start(mkdtempSync(join(dir, 'replay-')));
    t.teardown(() => replayBroker.stop());
    const replayed = await subscriber(replayBroker.url);
    t.teardown(() => replayed.stop());
    const result = await runCli([
      'replay',
      runFile,
      '--publish',
      '--broker',
      replayBroker.url,
      '--rate',
      '10',
      '--json',
    ]);
    t.equal(result.code, 0, `replay exit (stderr: ${result.stderr})`);
    await until(() => replayed.seen.length >= live.seen.length, 10_000);

    t.equal(replayed.seen.length, live.seen.length, 'as many messages as live');
    let samePayloads = 0;
    for (const [i, liveMessage] of live.seen.entries()) {
      const got = replayed.seen[i];
      if (got === undefined || got.topic !== liveMessage.topic) {
        t.fail(`message ${i}: topic ${got?.topic} != ${liveMessage.topic}`);
        break;
      }
      const expected = JSON.parse(markReplayed(liveMessage.topic, liveMessage.payload).toString()) as unknown;
      if (JSON.stringify(JSON.parse(got.payload.toString())) === JSON.stringify(expected)) samePayloads++;
      else t.fail(`message ${i} on ${got.topic}: payload differs`);
    }
    t.equal(samePayloads, live.seen.length, 'every payload is the live one, marked replayed');
    t.ok(
      replayed.seen.every((m) => m.replay === 'true'),
      'every message carries the replay=true user property',
    );
    const statuses = replayed.seen.filter((m) => m.topic.endsWith('/status'));
    t.ok(statuses.length >= 2, 'birth and shutdown status republished');
    t.ok(
      statuses.every((m) => (JSON.parse(m.payload.toString()) as { replay?: boolean }).replay === true),
      'status says replay: true',
    );
    const states = replayed.seen.filter((m) => m.topic.includes('/devices/'));
    t.ok(
      states.every(
        (m) => !['good', 'simulated'].includes((JSON.parse(m.payload.toString()) as { quality: string }).quality),
      ),
      'no device state claims good or simulated quality',
    );
    t.ok(
      states.some((m) => (JSON.parse(m.payload.toString()) as { quality: string }).quality === 'replayed'),
      'device states say quality replayed',
    );

    // Pace: the recorded span over 10, measured at the subscriber.
    const recordedS = (log.entries.at(-1)!.tUs - log.entries[0]!.tUs) / 1e6;
    const seenS = (replayed.seen.at(-1)!.atMs - replayed.seen[0]!.atMs) / 1000;
    const ratio = seenS / (recordedS / 10);
    t.comment(
      `recorded ${recordedS.toFixed(2)} s, replayed in ${seenS.toFixed(2)} s at --rate 10 (ratio ${ratio.toFixed(3)})`,
    );
    t.ok(ratio > 0.9 && ratio < 1.3, `about 10x pace (ratio ${ratio.toFixed(3)})`);
  },
);
