import fc from 'fast-check';
import t from 'tap';
import { RealtimeError } from '../../../src/control/realtime/realtime-error.js';
import { spawnWorker } from '../../../src/control/realtime/spawn-worker.js';
import { SpscByteRing } from '../../../src/control/realtime/spsc-byte-ring.js';
import { stressRecord } from './fixtures/stress-record.js';

type Op = { kind: 'write'; record: Uint8Array } | { kind: 'read' };

const opArbitrary = (maxLength: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength }).map((record): Op => ({ kind: 'write', record })),
    fc.constant<Op>({ kind: 'read' }),
  );

t.test('any sequence of writes and reads comes out in order, whole, with overflows counted', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 8, max: 96 }), fc.array(opArbitrary(100), { maxLength: 300 }), (capacity, ops) => {
      const producer = SpscByteRing.create(capacity);
      const consumer = new SpscByteRing(producer.buffer); // the other side attaches to the same memory
      const model: Uint8Array[] = [];
      let modelUsed = 0;
      let modelOverflows = 0;
      for (const op of ops) {
        if (op.kind === 'write') {
          const fits = 4 + op.record.length <= capacity - 1 - modelUsed;
          if (producer.tryWrite(op.record) !== fits) return false;
          if (fits) {
            model.push(op.record.slice());
            modelUsed += 4 + op.record.length;
          } else {
            modelOverflows++;
          }
        } else {
          const expected = model.shift();
          const got = consumer.tryRead();
          if (expected === undefined) {
            if (got !== undefined) return false;
          } else {
            if (got === undefined || Buffer.compare(Buffer.from(got), Buffer.from(expected)) !== 0) return false;
            modelUsed -= 4 + expected.length;
          }
        }
        if (consumer.usedBytes !== modelUsed || producer.overflows !== modelOverflows) return false;
      }
      // Drain: everything still held comes out intact.
      for (const expected of model) {
        const got = consumer.tryRead();
        if (got === undefined || Buffer.compare(Buffer.from(got), Buffer.from(expected)) !== 0) return false;
      }
      return consumer.tryRead() === undefined && consumer.isEmpty();
    }),
    { numRuns: 500 },
  );
  t.pass('model agrees');
});

t.test('records and length prefixes wrap around the end of the data area', async (t) => {
  const ring = SpscByteRing.create(16); // 11-byte max record
  for (let round = 0; round < 40; round++) {
    const length = round % 12;
    const record = Uint8Array.from({ length }, (_, i) => (round * 13 + i) & 0xff);
    t.ok(ring.tryWrite(record), `write ${round}`);
    t.same([...ring.tryRead()!], [...record], `read ${round}`);
  }
  t.equal(ring.recordsWritten, 40);
  t.equal(ring.recordsRead, 40);
  t.equal(ring.overflows, 0);
});

t.test('a full ring refuses and counts, never overwrites, and accepts again once drained', async (t) => {
  const ring = SpscByteRing.create(32); // one slack byte: 31 usable
  const record = new Uint8Array(10).fill(7); // 14 bytes each
  t.ok(ring.tryWrite(record));
  t.ok(ring.tryWrite(record));
  t.notOk(ring.tryWrite(record), 'third does not fit');
  t.notOk(ring.tryWrite(new Uint8Array(0)), 'not even an empty record (4-byte prefix, 3 bytes free)');
  t.equal(ring.overflows, 2);
  t.notOk(ring.tryWrite(new Uint8Array(ring.maxRecordBytes + 1)), 'oversized record refused');
  t.equal(ring.overflows, 3);
  t.same([...ring.tryRead()!], [...record]);
  t.ok(ring.tryWrite(record), 'room again');
  t.same([...ring.tryRead()!], [...record]);
  t.same([...ring.tryRead()!], [...record]);
  t.equal(ring.tryRead(), undefined);
  const empty = SpscByteRing.create(32);
  t.ok(empty.tryWrite(new Uint8Array(empty.maxRecordBytes)), 'maxRecordBytes fits an empty ring');
});

t.test('readInto refuses a too-small target and keeps the record', async (t) => {
  const ring = SpscByteRing.create(64);
  ring.tryWrite(Uint8Array.of(1, 2, 3, 4, 5));
  t.throws(() => ring.readInto(new Uint8Array(4)), RangeError);
  t.equal(ring.peekLength(), 5);
  const target = new Uint8Array(8);
  t.equal(ring.readInto(target, 3), 5);
  t.same([...target], [0, 0, 0, 1, 2, 3, 4, 5]);
  t.equal(ring.readInto(target), -1, 'empty');
});

t.test('attaching checks the header; sizes are validated', async (t) => {
  t.throws(() => new SpscByteRing(new SharedArrayBuffer(64)), { code: 'ERR_TICK_RING' });
  t.throws(() => SpscByteRing.create(4), { code: 'ERR_TICK_CONFIG' });
  t.throws(() => SpscByteRing.create(10.5), RealtimeError);
});

t.test('waitForRecords resolves when the producer writes and notifies', async (t) => {
  const ring = SpscByteRing.create(64);
  const waiting = ring.waitForRecords();
  ring.tryWrite(Uint8Array.of(9));
  ring.notifyConsumer();
  await waiting;
  t.same([...ring.tryRead()!], [9]);
  await ring.waitForRecords(0); // times out at once on an empty ring
  ring.tryWrite(Uint8Array.of(1));
  await ring.waitForRecords(); // resolves at once on a non-empty ring
  t.pass('resolved');
});

t.test('a producer thread and this consumer: no record lost, reordered or corrupted', async (t) => {
  const records = 50_000;
  const maxLength = 200;
  const ring = SpscByteRing.create(1024); // small, so the producer often finds it full
  const worker = spawnWorker(new URL('./fixtures/ring-stress-producer.ts', import.meta.url), {
    workerData: { buffer: ring.buffer, records, maxLength },
  });
  const done = new Promise<{ refused: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let seq = 0;
  let corrupted = 0;
  while (seq < records) {
    const record = ring.tryRead();
    if (record === undefined) {
      await ring.waitForRecords(50);
      continue;
    }
    const expected = stressRecord(seq, maxLength);
    if (Buffer.compare(Buffer.from(record), Buffer.from(expected)) !== 0) corrupted++;
    seq++;
  }
  const { refused } = await done;
  await worker.terminate();
  t.equal(seq, records, 'every record arrived');
  t.equal(corrupted, 0, 'byte for byte');
  t.equal(ring.overflows, refused, 'every refused write was counted');
  t.equal(ring.recordsWritten, records);
  t.equal(ring.recordsRead, records);
});
