import { readFileSync } from 'node:fs';
import t from 'tap';
import { LauncherController, RadarController } from '../../src/devices/index.js';
import { decodeWireFrame } from '../../src/protocol/index.js';
import { ForwardingTransport, type Transport } from '../../src/transport/index.js';
import { CONFORMANCE_SCENARIO } from '../conformance/support/sim-bench.js';
import { startEngagementOperator } from '../reliability/support/engagement-operator.js';
import { simOnMemoryLinks } from '../support/sim-links.js';
import { readIcdTables } from './icd-tables.js';
import { type OracleResult, oracleCrc, oracleDecode } from './oracle-decoder.js';

/**
 * The independent wire oracle: a decoder written from docs/protocol.md's tables alone (it imports
 * nothing of src/) judges every golden vector and every frame of 10 s of live simulator traffic.
 * The vectors are generated, the ICD rendered and the simulator built from the same catalogue as
 * the host's codec, so without this a payload-layout bug would be invisible to CI — and written
 * into the document firmware teams build against.
 */

const tables = readIcdTables();

interface Vector {
  readonly name: string;
  readonly wire: string;
  readonly message?: Record<string, unknown>;
  readonly error?: string;
}

/** Field values agree; f32 fields compare at f32 precision (the vector holds the value encoded). */
function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  return typeof expected === 'number' && typeof actual === 'number' && Math.fround(expected) === actual;
}

function disagreement(expected: Record<string, unknown>, result: OracleResult): string | undefined {
  if (!result.ok) return `oracle says ${result.error}`;
  const keys = new Set([...Object.keys(expected), ...Object.keys(result.message)]);
  for (const key of keys) {
    if (!sameValue(expected[key], result.message[key])) {
      return `${key}: expected ${String(expected[key])}, oracle ${String(result.message[key])}`;
    }
  }
  return undefined;
}

t.test('the ICD tables read as a consistent whole', async (t) => {
  t.equal(oracleCrc(tables, new TextEncoder().encode('123456789')), tables.crcCheck, 'CRC check value of §3.2');
  t.equal(tables.messages.size, 18, 'every message of the catalogue table has a section');
  for (const m of tables.messages.values()) {
    const fieldBytes = m.fields.reduce((sum, f) => sum + f.size, 0);
    t.equal(fieldBytes, m.payloadBytes, `${m.name}: field sizes add up to the payload`);
    let offset = 0;
    for (const f of m.fields) {
      t.equal(f.offset, offset, `${m.name}.${f.name} at offset ${offset}`);
      offset += f.size;
      if (f.type === 'enum') t.ok((f.codes?.size ?? 0) > 0, `${m.name}.${f.name}: codes listed`);
    }
    t.equal(m.frameBytes, m.payloadBytes + 9, `${m.name}: frame bytes = payload + header, CRC, COBS and delimiter`);
  }
});

t.test('every golden vector decodes (or fails) as the ICD says', async (t) => {
  const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as Vector[];
  t.ok(vectors.length >= 80, `${vectors.length} vectors`);
  const typesSeen = new Set<string>();
  for (const vector of vectors) {
    const result = oracleDecode(tables, Buffer.from(vector.wire, 'hex'));
    if (vector.error !== undefined) {
      t.equal(result.ok ? 'decoded' : result.error, vector.error, `${vector.name}: error ${vector.error}`);
    } else {
      t.equal(disagreement(vector.message!, result), undefined, `${vector.name}: every field agrees`);
      if (result.ok) typesSeen.add(result.message.type);
    }
  }
  t.equal(typesSeen.size, tables.messages.size, 'the vectors cover every message type');
});

/** Watches one end of a link: every byte written and every byte received, in order. */
class TapTransport extends ForwardingTransport {
  readonly written: number[] = [];
  readonly received: number[] = [];
  constructor(inner: Transport) {
    super(inner);
    inner.on('data', (chunk) => this.received.push(...chunk));
  }
  override write(bytes: Uint8Array): Promise<void> {
    this.written.push(...bytes);
    return super.write(bytes);
  }
}

function framesOf(bytes: readonly number[]): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i > start) frames.push(Uint8Array.from(bytes.slice(start, i + 1)));
    start = i + 1;
  }
  return frames;
}

t.test('10 s of live simulator traffic, both devices, both directions: the oracle agrees', async (t) => {
  const bench = await simOnMemoryLinks({ scenario: CONFORMANCE_SCENARIO });
  const { clock, sim } = bench;
  const baud = 921_600;
  const taps = {
    'radar-1': new TapTransport(bench.pacedHostEnd('radar-1', baud)),
    'launcher-1': new TapTransport(bench.pacedHostEnd('launcher-1', baud)),
  };
  const lineRates = { hostToDeviceBaud: baud, deviceToHostBaud: baud };
  const radar = new RadarController({ transport: taps['radar-1'], clock, lineRates });
  const launcher = new LauncherController({ transport: taps['launcher-1'], clock, lineRates });
  radar.start();
  launcher.start();
  const operator = startEngagementOperator(clock, launcher, 200_000);
  await clock.runUntilCondition(() => false, clock.nowUs() + 10_000_000);
  operator.stop();
  await Promise.all([radar.stop(), launcher.stop(), clock.runUntilCondition(() => false, clock.nowUs() + 500_000)]);
  await sim.stop();

  const counts = new Map<string, number>();
  const problems: string[] = [];
  for (const [device, tap] of Object.entries(taps)) {
    for (const [direction, bytes] of [
      ['host → device', tap.written],
      ['device → host', tap.received],
    ] as const) {
      for (const frame of framesOf(bytes)) {
        const oracle = oracleDecode(tables, frame);
        const code = decodeWireFrame(frame);
        const where = `${device} ${direction} ${Buffer.from(frame).toString('hex')}`;
        if (!code.ok) {
          problems.push(`${where}: the host's decoder rejects it (${code.error})`);
          continue;
        }
        const wrong = disagreement({ ...code.message }, oracle);
        if (wrong !== undefined) {
          problems.push(`${where}: ${wrong}`);
          continue;
        }
        const spec = [...tables.messages.values()].find((m) => m.name === code.message.type)!;
        if (spec.direction !== 'both ways' && spec.direction !== direction) {
          problems.push(`${where}: ${spec.name} is ${spec.direction} only`);
        }
        if (((code.message.flags & 1) !== 0) !== spec.acknowledged) {
          problems.push(
            `${where}: ACK-requested flag ${code.message.flags & 1} on a ${spec.acknowledged ? '' : 'non-'}acknowledged type`,
          );
        }
        if (frame.length !== spec.frameBytes)
          problems.push(`${where}: ${frame.length} bytes, the ICD says ${spec.frameBytes}`);
        const key = `${code.message.type}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  t.comment(`live frames judged: ${total} — ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  t.same(problems.slice(0, 20), [], `the oracle and the ICD agree on all ${total} frames`);
  for (const type of [
    'HELLO',
    'IDENT',
    'HEARTBEAT',
    'TIME_SYNC_REQUEST',
    'TIME_SYNC_RESPONSE',
    'RADAR_STATUS',
    'TRACK_REPORT',
    'LAUNCHER_STATUS',
    'ARM',
    'ACK',
    'FIRE',
    'FIRE_REPORT',
  ]) {
    t.ok((counts.get(type) ?? 0) > 0, `live traffic carried ${type}`);
  }
});
