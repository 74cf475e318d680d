/**
 * `output.cat062` in a bench config: a run sends the picture as CAT062 over UDP. The datagrams
 * received on a loopback socket, written to a pcap, decode in tshark with no malformed packet
 * or expert info, carry the configured SAC/SIC and the SIM bit, and tshark's values equal ours.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { AsterixDecoder, type AsterixRecord, CAT062, writePcap } from '../../src/asterix/index.js';
import { runBench } from '../../src/compose/run-bench.js';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { compareRecord } from '../asterix/support/compare-tshark.js';
import { TSHARK_SKIP, tsharkExpert, tsharkRecords } from '../asterix/support/tshark.js';

t.test('output.cat062 is validated', async (t) => {
  const base = { node: { id: 'n' }, scenario: 's.yaml', simulator: { enabled: true } };
  const ok = benchConfigSchema.safeParse({
    ...base,
    output: { cat062: { link: 'udp://127.0.0.1:8600', sac: 25, sic: 7 } },
  });
  t.ok(ok.success);
  if (ok.success) t.match(ok.data.output.cat062, { periodMs: 1000, serviceId: 1 });
  const bad = benchConfigSchema.safeParse({
    ...base,
    output: { cat062: { link: 'tcp://1.2.3.4:5', sac: 300, sic: 7 } },
  });
  t.notOk(bad.success);
  if (!bad.success) {
    const paths = bad.error.issues.map((issue) => issue.path.join('.'));
    t.ok(paths.includes('output.cat062.link') && paths.includes('output.cat062.sac'), paths.join(', '));
  }
});

t.test(
  'a run with CAT062 output sends tracks that tshark decodes cleanly',
  { skip: TSHARK_SKIP, timeout: 300_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cat062-config-'));
    const socket = createSocket('udp4');
    const received: { timeUs: number; dstPort: number; payload: Uint8Array }[] = [];
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const { port } = socket.address();
    socket.on('message', (message) =>
      received.push({ timeUs: received.length * 1000, dstPort: port, payload: new Uint8Array(message) }),
    );
    t.teardown(() => socket.close());
    const configFile = path.join(dir, 'bench.yaml');
    writeFileSync(
      configFile,
      [
        'node: { id: cat062-node }',
        `scenario: ${path.resolve('hil-configs/scenarios/single-ballistic.yaml')}`,
        'simulator: { enabled: true, placement: in-process }',
        'site: { latDeg: 43.5, lonDeg: 16.4, heightM: 120 }',
        'broker: { disabled: true }',
        `output: { dir: ${dir}, cat062: { link: "udp://127.0.0.1:${port}", sac: 25, sic: 77, periodMs: 1000 } }`,
      ].join('\n'),
    );
    const result = await runBench({
      loaded: await loadBenchConfig(configFile),
      virtualTime: true,
      broker: 'none',
      durationS: 40,
    });
    // Datagrams are in flight on loopback until the socket has read them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counters = result.linkCounters['cat062'] as { records: number; blocks: number; sendErrors: number };
    t.ok(counters.records >= 20, `${counters.records} CAT062 records in ${counters.blocks} blocks`);
    t.equal(received.length, counters.blocks, 'every block arrived as one datagram');

    const ours: AsterixRecord[] = [];
    const decoder = new AsterixDecoder();
    for (const packet of received) decoder.decode(packet.payload, { record: (record) => ours.push(record) });
    t.equal(decoder.counters.malformedBlocks, 0);
    t.ok(ours.every((record) => record.category === 62));
    t.same(ours[0]!.items.get('010'), { SAC: 25, SIC: 77 }, 'the configured SAC/SIC');
    t.equal((ours[0]!.items.get('080') as { SIM: number }).SIM, 1, 'SIM set: simulated data');

    const file = path.join(dir, 'cat062.pcap');
    writeFileSync(file, writePcap(received));
    t.equal(tsharkExpert(file, [port]), '', 'tshark: no malformed packet, no expert info');
    const theirs = tsharkRecords(file);
    t.equal(theirs.length, ours.length, 'tshark sees every record');
    const differences = ours.flatMap((record, i) => compareRecord(CAT062, record, theirs[i]!));
    t.same(differences.slice(0, 5), [], 'every item equals tshark’s value');
  },
);
