import { crc32 } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader, McapStreamReader, type McapTypes } from '@mcap/core';
import t from 'tap';
import { readPcapng } from '../../src/capture/pcapng-reader.js';
import { readMqttLog } from '../../src/export/mqtt-log.js';
import { runCli } from '../cli/frames-io.js';

/**
 * raid-50 (shortened to 40 simulated seconds: the first launches happen at about 26 s) recorded,
 * exported to MCAP, read back with @mcap/core, imported, and replayed to the same digest.
 */
const dir = mkdtempSync(join(tmpdir(), 'shieldlink-mcap-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const runFile = join(dir, 'raid-50.run');
const mcapFile = join(dir, 'raid-50.mcap');

t.test('raid-50 exported to MCAP holds every recorded message under its schema', async (t) => {
  const run = await runCli([
    'run',
    '--scenario',
    'hil-configs/scenarios/raid-50.yaml',
    '--duration',
    '40',
    '--record',
    runFile,
    '--quiet',
  ]);
  // Exit 1 is expected: the scenario's measurements are set for the full 300 s.
  t.ok(run.code === 0 || run.code === 1, `run completed (exit ${run.code}; stderr: ${run.stderr.slice(0, 500)})`);
  const exported = await runCli(['export', runFile, '--mcap', mcapFile, '--json']);
  t.equal(exported.code, 0, `export exit (stderr: ${exported.stderr})`);

  // Expected counts, from the recording itself.
  const runLines = readFileSync(runFile, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const mqtt = await readMqttLog(runFile.replace(/\.run$/, '.mqtt.jsonl'));
  const packets = readPcapng(readFileSync(runFile.replace(/\.run$/, '.pcapng')));
  const truthLines = readFileSync(runFile.replace(/\.run$/, '.truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const expected = new Map<string, number>([
    ['/shieldlink/run', runLines.length],
    ['/shieldlink/truth', truthLines.length],
  ]);
  for (const entry of mqtt.entries) expected.set(`/${entry.topic}`, (expected.get(`/${entry.topic}`) ?? 0) + 1);
  for (const p of packets)
    expected.set(`/shieldlink/frames/${p.link}`, (expected.get(`/shieldlink/frames/${p.link}`) ?? 0) + 1);
  t.ok(mqtt.entries.length > 50, `${mqtt.entries.length} MQTT messages recorded`);
  t.ok(packets.length > 1000, `${packets.length} frames captured`);

  // Indexed read: summary, statistics, the data section CRC.
  const bytes = readFileSync(mcapFile);
  const handle = await open(mcapFile, 'r');
  t.teardown(() => handle.close());
  const reader = await McapIndexedReader.Initialize({
    readable: {
      size: async () => BigInt(bytes.length),
      read: async (offset, size) => bytes.subarray(Number(offset), Number(offset + size)),
    },
  });
  t.ok(reader.dataSectionCrc !== undefined && reader.dataSectionCrc !== 0, 'the data section has a CRC');
  t.equal(crc32(bytes.subarray(0, Number(reader.dataEndOffset))), reader.dataSectionCrc, 'data section CRC matches');
  for (const channel of reader.channelsById.values()) {
    const schema = reader.schemasById.get(channel.schemaId);
    t.ok(schema, `${channel.topic}: schema present`);
    t.equal(schema?.encoding, 'jsonschema', `${channel.topic}: JSON Schema`);
    t.equal(channel.messageEncoding, 'json', `${channel.topic}: JSON messages`);
    const parsed = JSON.parse(new TextDecoder().decode(schema!.data)) as Record<string, unknown>;
    t.ok(typeof parsed === 'object' && parsed !== null, `${channel.topic}: schema parses`);
    if (channel.topic.includes('/devices/')) t.equal(schema?.name, 'shieldlink.device-state', 'device-state schema');
    if (channel.topic.endsWith('/tracks')) t.equal(schema?.name, 'shieldlink.tracks', 'tracks schema');
  }

  // Stream read with every chunk CRC checked: count the messages per topic.
  const stream = new McapStreamReader({ validateCrcs: true });
  stream.append(bytes);
  const channels = new Map<number, string>();
  const counts = new Map<string, number>();
  for (let record: McapTypes.TypedMcapRecord | undefined; (record = stream.nextRecord());) {
    if (record.type === 'Channel') channels.set(record.id, record.topic);
    if (record.type === 'Message') {
      const topic = channels.get(record.channelId)!;
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
    }
  }
  t.ok(stream.done(), 'read to the footer');
  for (const [topic, count] of expected) t.equal(counts.get(topic), count, `${topic}: ${count} messages`);
  t.ok((counts.get('/shieldlink/tick-metrics') ?? 0) > 0, 'tick metrics present');
  t.ok((counts.get('/shieldlink/launch-errors') ?? 0) > 0, 'launch errors present');
  const statistics = reader.statistics!;
  t.equal(
    Number(statistics.messageCount),
    [...counts.values()].reduce((a, b) => a + b, 0),
    'statistics agree',
  );
});

t.test('an imported export is the same run file and replays to the same outputs digest', async (t) => {
  const imported = join(dir, 'imported', 'raid-50.run');
  const result = await runCli(['import', mcapFile, '--out', imported, '--json']);
  t.equal(result.code, 0, `import exit (stderr: ${result.stderr})`);
  t.ok(readFileSync(imported).equals(readFileSync(runFile)), 'run file byte for byte');
  t.ok(
    readFileSync(imported.replace(/\.run$/, '.truth.jsonl')).equals(
      readFileSync(runFile.replace(/\.run$/, '.truth.jsonl')),
    ),
    'truth log byte for byte',
  );
  const original = await readMqttLog(runFile.replace(/\.run$/, '.mqtt.jsonl'));
  const back = await readMqttLog(imported.replace(/\.run$/, '.mqtt.jsonl'));
  t.same(
    back.entries.map((e) => [e.topic, e.payload, e.qos, e.retain]),
    original.entries.map((e) => [e.topic, e.payload, e.qos, e.retain]),
    'MQTT log: same messages in the same order',
  );
  const packetsBack = readPcapng(readFileSync(imported.replace(/\.run$/, '.pcapng')));
  const packets = readPcapng(readFileSync(runFile.replace(/\.run$/, '.pcapng')));
  t.equal(packetsBack.length, packets.length, 'capture: same packet count');

  const recorded = JSON.parse(readFileSync(runFile, 'utf8').trim().split('\n').at(-1)!) as { outputsSha256: string };
  const replay = await runCli(['replay', imported, '--verify', '--json']);
  t.equal(replay.code, 0, 'replay exit');
  const verdict = JSON.parse(replay.stdout) as { identical: boolean; outputsSha256: string };
  t.equal(verdict.identical, true, 'identical');
  t.equal(verdict.outputsSha256, recorded.outputsSha256, 'same outputs digest as the recording');
});

t.test('the run published every line of its decision ledger through the embedded broker', async (t) => {
  const ledgerLines = readFileSync(runFile.replace(/\.run$/, '.ledger'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const summary = JSON.parse(readFileSync(runFile.replace(/\.run$/, '.summary.json'), 'utf8')) as {
    linkCounters: Record<string, unknown>;
  };
  t.same(
    summary.linkCounters['ledger-feed'],
    { published: ledgerLines.length, dropped: 0, failed: 0, queued: 0 },
    `${ledgerLines.length} ledger lines, each acknowledged by the broker`,
  );
  const mqtt = await readMqttLog(runFile.replace(/\.run$/, '.mqtt.jsonl'));
  const fed = mqtt.entries.filter((e) => e.topic === 'shieldlink/v1/sim-1/shared/ledger');
  t.equal(fed.length, ledgerLines.length, 'the MQTT record holds each of them');
});
