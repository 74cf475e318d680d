import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import {
  BlockCommandIdAllocator,
  CommandIdStore,
  CommandIdStoreError,
  MAX_STORED_COMMAND_ID,
  firstSeqOfSession,
} from '../../src/devices/command-id-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-ids-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `ids-${n++}.json`);

t.test('blocks follow each other, durably, across store instances (process restarts)', async (t) => {
  const file = fresh();
  const a = new CommandIdStore(file).reserve(100);
  t.same(a, { firstId: 1, lastId: 100, reservation: 0 });
  const b = new CommandIdStore(file).reserve(10);
  t.same(b, { firstId: 101, lastId: 110, reservation: 1 });
  t.same(JSON.parse(readFileSync(file, 'utf8')), { format: 'shieldlink-command-ids/1', nextId: 111, reservations: 2 });
  t.notOk(existsSync(`${file}.tmp`), 'no temporary file left');
});

t.test('a damaged state file stops the host (fail closed), a missing one starts at 1', async (t) => {
  for (const text of [
    '',
    '{',
    '{"format":"other","nextId":5,"reservations":0}',
    '{"format":"shieldlink-command-ids/1","nextId":0,"reservations":0}',
    '[]',
  ]) {
    const file = fresh();
    writeFileSync(file, text);
    t.throws(() => new CommandIdStore(file).reserve(1), CommandIdStoreError, JSON.stringify(text));
    t.equal(readFileSync(file, 'utf8'), text, 'left as it was');
  }
  t.throws(() => new CommandIdStore(fresh()).reserve(0), CommandIdStoreError);
  t.throws(() => new CommandIdStore(join(dir, 'no-such-dir-file', 'x')).reserve(1.5), CommandIdStoreError);
});

t.test('numbering wraps to 1 below the drivers range', async (t) => {
  const file = fresh();
  writeFileSync(
    file,
    JSON.stringify({ format: 'shieldlink-command-ids/1', nextId: MAX_STORED_COMMAND_ID - 5, reservations: 7 }),
  );
  const store = new CommandIdStore(file);
  t.same(store.reserve(10), { firstId: 1, lastId: 10, reservation: 7 }, 'a block that does not fit starts at 1');
  t.same(store.reserve(5), { firstId: 11, lastId: 15, reservation: 8 });
});

t.test('property: allocators sharing one file never hand out an id twice', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 40 })), {
        minLength: 1,
        maxLength: 30,
      }),
      fc.integer({ min: 1, max: 16 }),
      (steps, blockSize) => {
        const file = fresh();
        const seen = new Set<number>();
        let allocators = [0, 1, 2].map(() => new BlockCommandIdAllocator(new CommandIdStore(file), blockSize));
        for (const [which, count] of steps) {
          if (count === 40) {
            // A restart: every allocator is new, the file is all that survives.
            allocators = [0, 1, 2].map(() => new BlockCommandIdAllocator(new CommandIdStore(file), blockSize));
            continue;
          }
          for (let i = 0; i < count; i++) {
            const id = allocators[which]!.allocate();
            if (seen.has(id) || id < 1 || id > MAX_STORED_COMMAND_ID) return false;
            seen.add(id);
          }
        }
        return true;
      },
    ),
    { numRuns: 100, seed: 99 },
  );
});

t.test('consecutive sessions start their frame seq far apart', async (t) => {
  const seqs = Array.from({ length: 64 }, (_, i) => firstSeqOfSession(i));
  t.equal(new Set(seqs).size, 64);
  for (let i = 1; i < seqs.length; i++) {
    const gap = Math.abs(seqs[i]! - seqs[i - 1]!);
    t.ok(Math.min(gap, 65536 - gap) > 1000, `session ${i}: ${seqs[i - 1]} → ${seqs[i]}`);
  }
});
