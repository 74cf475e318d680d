import fc from 'fast-check';
import t from 'tap';
import { LocalRecordQueue } from '../../../src/control/realtime/record-queue.js';
import { RealtimeError } from '../../../src/control/realtime/realtime-error.js';
import { SpscByteRing } from '../../../src/control/realtime/spsc-byte-ring.js';

type Op =
  { kind: 'write'; record: Uint8Array } | { kind: 'read' } | { kind: 'peek' } | { kind: 'readInto'; offset: number };

const opArbitrary = (maxLength: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength }).map((record): Op => ({ kind: 'write', record })),
    fc.constant<Op>({ kind: 'read' }),
    fc.constant<Op>({ kind: 'peek' }),
    fc.integer({ min: 0, max: 16 }).map((offset): Op => ({ kind: 'readInto', offset })),
  );

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a === undefined || b === undefined ? a === b : Buffer.compare(a, b) === 0;

t.test('the same-thread queue accepts, refuses, returns and counts exactly as a ring of its capacity', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 8, max: 96 }), fc.array(opArbitrary(100), { maxLength: 300 }), (capacity, ops) => {
      const ring = SpscByteRing.create(capacity);
      const queue = new LocalRecordQueue(capacity);
      for (const op of ops) {
        switch (op.kind) {
          case 'write': {
            const source = op.record.slice();
            if (ring.tryWrite(op.record) !== queue.tryWrite(source)) return false;
            source.fill(0xaa); // the queue keeps a copy: the writer may reuse its array
            break;
          }
          case 'read':
            if (!same(ring.tryRead(), queue.tryRead())) return false;
            break;
          case 'peek':
            if (ring.peekLength() !== queue.peekLength()) return false;
            break;
          case 'readInto': {
            const length = ring.peekLength();
            if (length !== queue.peekLength()) return false;
            const a = new Uint8Array(op.offset + Math.max(length, 0));
            const b = new Uint8Array(op.offset + Math.max(length, 0));
            if (ring.readInto(a, op.offset) !== queue.readInto(b, op.offset) || !same(a, b)) return false;
            break;
          }
        }
        if (ring.overflows !== queue.overflows || ring.recordsWritten !== queue.recordsWritten) return false;
      }
      return true;
    }),
    { numRuns: 500 },
  );
});

t.test('a target too small is refused before anything is consumed, as by the ring', async (t) => {
  const queue = new LocalRecordQueue(64);
  t.ok(queue.tryWrite(Uint8Array.of(1, 2, 3)));
  t.throws(() => queue.readInto(new Uint8Array(2)), RangeError);
  t.equal(queue.readInto(new Uint8Array(3)), 3);
  t.equal(queue.readInto(new Uint8Array(3)), -1);
  t.throws(() => new LocalRecordQueue(4), RealtimeError);
});
