import { join } from 'node:path';
import type { Test } from 'tap';
import { payloadSpecForTopic } from '../../../src/bridge/json-schemas.js';
import { OperatorClient } from '../../../src/bridge/operator-client.js';
import { OperatorKeyring } from '../../../src/bridge/operator-keyring.js';
import { ShieldlinkBridge } from '../../../src/bridge/shieldlink-bridge.js';
import type { CommandResultPayload } from '../../../src/bridge/schemas/command-result-payload.js';
import { RealClock } from '../../../src/time/real-clock.js';
import { wallClockMs } from '../../../src/time/real-clock.js';
import { KEY_SECRETS, KEYS } from './command-harness.js';
import { tempDir } from './drive.js';
import { deviceState, engagementChange, FakeSource, trackPicture } from './fake-source.js';
import { MqttCapture } from './mqtt-capture.js';
import { RecordingExecutor } from './recording-executor.js';
import { until } from './until.js';

export const SCENARIO_NODE = 'bench-1';

/** Start a bridge on `url` with a fake source, the test keyring and a recording executor. */
export async function startTestBridge(url: string, spoolDir: string, protocol: 'auto' | '3.1.1' | '5' = 'auto') {
  const clock = new RealClock();
  const source = new FakeSource();
  const executor = new RecordingExecutor();
  const audit: unknown[] = [];
  const bridge = new ShieldlinkBridge({
    nodeId: SCENARIO_NODE,
    broker: { url, protocol, backoff: { initialMs: 50, maxMs: 300 } },
    spoolFile: join(spoolDir, 'bridge.spool'),
    keyring: new OperatorKeyring([KEYS.alice.public, KEYS.alice2.public, KEYS.bob.public]),
    executor,
    audit: { record: (r) => audit.push(r) },
    clock,
    wallClock: wallClockMs,
    state: { trackRateHz: 20, metricsIntervalMs: 200 },
  });
  await bridge.start(source);
  return { bridge, source, executor, audit, clock };
}

const word = (r: CommandResultPayload | null | undefined): string | undefined =>
  r == null
    ? undefined
    : r.status === 'rejected'
      ? r.reason
      : r.status === 'timed_out'
        ? `timed_out:${r.stage}`
        : r.status;

/**
 * The MQTT bridge acceptance scenario against one broker: a separate subscriber to
 * `shieldlink/v1/#` sees the retained birth, device states, track snapshots and in-order
 * engagement events; bad commands are rejected with the right reason; two-operator FREE works;
 * every payload matches its schema; no key material crosses the broker; a clean stop leaves
 * `status` retained `offline`.
 */
export async function runBridgeScenario(
  t: Test,
  url: string,
  expectProtocol: '3.1.1' | '5',
  protocol: 'auto' | '3.1.1' | '5' = 'auto',
): Promise<void> {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const capture = await MqttCapture.start(url, 'shieldlink/v1/#', { protocolVersion: expectProtocol === '5' ? 5 : 4 });
  t.teardown(() => capture.stop());
  const { bridge, source, executor, audit, clock } = await startTestBridge(url, dir.path, protocol);
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await bridge.stop();
  });
  await bridge.whenConnected();
  t.equal(bridge.health().protocol, expectProtocol, `bridge speaks MQTT ${expectProtocol}`);

  const sink = source.sink!;
  sink.deviceState(deviceState('radar-1', clock.nowUs()));
  sink.deviceState(deviceState('launcher-1', clock.nowUs()));
  sink.tracks(trackPicture(clock.nowUs(), 4));
  sink.metrics({ loop: { tickLatenessP99Us: 12 }, links: { 'radar-1': { framesIn: 5 } } });
  for (let i = 1; i <= 50; i++) sink.engagement(engagementChange(i));
  await bridge.whenIdle();
  t.ok(
    await until(
      () =>
        capture.on('/status').length > 0 &&
        capture.on('/state').length >= 2 &&
        capture.on('/tracks').length > 0 &&
        capture.on('/metrics').length > 0 &&
        capture.messages.filter((m) => m.topic.includes('/engagements/')).length >= 50,
    ),
    'subscriber sees status, device states, tracks, metrics and engagement events',
  );
  const status = capture.json('/status')[0]!;
  t.equal(status.state, 'online');
  t.equal(status.softwareVersion, '0.1.0-test');
  t.equal(capture.on('/status')[0]!.qos, 1);
  const seqs = capture.messages
    .filter((m) => m.topic.includes('/engagements/'))
    .map((m) => (JSON.parse(m.payload.toString()) as { seq: number }).seq);
  t.same(
    seqs,
    Array.from({ length: 50 }, (_, i) => i + 1),
    'engagement events in order, numbered without gaps',
  );

  // A late subscriber gets the retained birth and device states.
  const late = await MqttCapture.start(url, `shieldlink/v1/${SCENARIO_NODE}/#`);
  t.ok(await until(() => late.on('/status').length > 0 && late.on('/state').length >= 2), 'late subscriber: retained');
  t.ok(late.messages.filter((m) => m.topic.endsWith('/status') || m.topic.endsWith('/state')).every((m) => m.retain));
  await late.stop();

  // Commands through a real operator client.
  const operator = await OperatorClient.connect({
    broker: { url },
    nodeId: SCENARIO_NODE,
    clock,
    wallClock: wallClockMs,
  });
  t.teardown(() => operator.close());
  const safe = (id: string) => ({ id, node: SCENARIO_NODE, verb: 'safe' as const, args: { launcherId: 'launcher-1' } });
  const free = (id: string) => ({
    id,
    node: SCENARIO_NODE,
    verb: 'set-weapons-control' as const,
    args: { status: 'free' as const },
  });
  const after = async (id: string, count: number) => {
    await until(() => operator.resultsFor(id).length >= count);
    return operator.resultsFor(id);
  };

  await operator.publishRaw(
    'safe',
    JSON.stringify({ v: 1, id: 'u1', node: SCENARIO_NODE, verb: 'safe', args: {} }),
    'u1',
  );
  t.equal(word((await after('u1', 1))[0]), 'unsigned', 'unsigned → rejected: unsigned');

  const { signCommand } = await import('../../../src/bridge/command-signer.js');
  const forged = { ...signCommand(safe('w1'), KEYS.mallory, { timestampMs: wallClockMs() }), keyId: 'alice-1' };
  await operator.publishRaw('safe', JSON.stringify(forged), 'w1');
  t.equal(word((await after('w1', 1))[0]), 'bad-signature', 'wrong key → rejected: bad-signature');

  const stale = signCommand(safe('s1'), KEYS.alice, { timestampMs: wallClockMs() - 60_000 });
  await operator.publishRaw('safe', JSON.stringify(stale), 's1');
  t.equal(word((await after('s1', 1))[0]), 'stale', 'stale → rejected: stale');

  const ok = await operator.send(safe('ok1'), [KEYS.alice], 10_000);
  t.equal(word(ok.final), 'completed', 'a valid command completes');
  t.equal(executor.executed.at(-1)?.id, 'ok1', 'the id reaches the executor');
  const replay = signCommand(safe('rp1'), KEYS.bob, { timestampMs: wallClockMs() });
  await operator.publishRaw('safe', JSON.stringify(replay), 'rp1');
  await operator.publishRaw('safe', JSON.stringify(replay), 'rp1');
  // Two results; their order depends on whether both messages arrived in one socket read.
  t.same((await after('rp1', 2)).map(word).sort(), ['completed', 'replayed'], 'replayed → rejected: replayed');

  const lone = await operator.send(free('f1'), [KEYS.alice], 10_000);
  t.equal(word(lone.final), 'pending', 'single-operator FREE → pending (never accepted)');
  const sameOperator = await operator.send(free('f1'), [KEYS.alice2], 10_000);
  t.equal(word(sameOperator.final), 'same-operator', 'the same operator with another key → rejected');
  const executedBefore = executor.executed.length;
  const two = await operator.send(free('f2'), [KEYS.alice, KEYS.bob], 10_000);
  t.same(two.results.map(word), ['pending', 'completed'], 'two-operator FREE: pending, then completed');
  t.same(executor.executed.at(-1)?.operators, ['alice', 'bob']);
  t.equal(executor.executed.length, executedBefore + 1);
  if (operator.protocolVersion === 5 && expectProtocol === '5') {
    t.ok(
      capture.messages.some((m) => m.topic.includes('/replies/') && m.correlationData?.toString() === 'f2'),
      'MQTT 5: results also on the response topic with the correlation data',
    );
  }
  t.ok(
    await until(() => capture.on('/audit').length >= audit.length && audit.length > 0),
    'every audit record reaches the audit topic too',
  );

  // Every payload on the tree matches its schema.
  await bridge.whenIdle();
  let checked = 0;
  for (const m of capture.messages) {
    const spec = payloadSpecForTopic(m.topic, SCENARIO_NODE);
    if (spec === undefined || spec.direction === 'in') continue; // what operators sent (some deliberately bad)
    const parsed = spec.schema.safeParse(JSON.parse(m.payload.toString('utf8')));
    if (!parsed.success)
      t.fail(`${m.topic}: ${parsed.error.issues[0]?.message} in ${m.payload.toString().slice(0, 200)}`);
    checked++;
  }
  t.ok(checked > 60, `${checked} payloads checked against their schemas`);

  // No key material in anything published.
  const all = Buffer.concat(capture.messages.flatMap((m) => [Buffer.from(m.topic), m.payload]));
  for (const secret of KEY_SECRETS) {
    t.equal(all.indexOf(secret), -1, 'raw key bytes absent');
    t.equal(all.indexOf(Buffer.from(secret.toString('hex'))), -1, 'hex key absent');
    t.equal(all.indexOf(Buffer.from(secret.toString('base64'))), -1, 'base64 key absent');
  }

  // Clean shutdown: retained offline.
  stopped = true;
  await bridge.stop();
  const after2 = await MqttCapture.start(url, `shieldlink/v1/${SCENARIO_NODE}/status`);
  t.ok(await until(() => after2.json('/status').length > 0));
  t.same(
    { state: after2.json('/status')[0]!.state, reason: after2.json('/status')[0]!.reason },
    { state: 'offline', reason: 'shutdown' },
    'clean stop leaves status retained offline',
  );
  await after2.stop();
}
