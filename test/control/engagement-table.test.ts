import fc from 'fast-check';
import t from 'tap';
import { EngagementTable } from '../../src/control/engagement-table.js';

t.test('usedLimit bounds every in-use record through any allocate/free sequence', async () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(15)), { maxLength: 200 }), (ops) => {
      const table = new EngagementTable(16);
      for (const op of ops) {
        if (op < 0) table.allocate();
        else if (table.records[op]!.inUse) table.free(op);
        const highest = table.records.reduce((top, r, i) => (r.inUse ? i + 1 : top), 0);
        if (table.usedLimit !== highest) return false;
      }
      return true;
    }),
  );
});

t.test('allocation takes the lowest free slot; lookups see only in-use records', async (t) => {
  const table = new EngagementTable(4);
  t.equal(table.usedLimit, 0);
  t.equal(table.allocate(), 0);
  t.equal(table.allocate(), 1);
  t.equal(table.allocate(), 2);
  table.free(1);
  t.equal(table.usedLimit, 3, 'a hole below the top keeps the limit');
  t.equal(table.allocate(), 1, 'the hole is reused first');
  const id = table.records[2]!.engagementId;
  t.equal(table.findById(id), 2);
  table.free(2);
  t.equal(table.findById(id), -1);
  t.equal(table.usedLimit, 2);
  table.free(0);
  table.free(1);
  t.equal(table.usedLimit, 0);
  t.equal(table.allocate(), 0);
  t.equal(table.allocate(), 1);
  t.equal(table.allocate(), 2);
  t.equal(table.allocate(), 3);
  t.equal(table.allocate(), -1, 'full');
  t.equal(table.usedLimit, 4);
});
