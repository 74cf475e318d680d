import fc from 'fast-check';
import t from 'tap';
import { TextFifo } from '../../src/common/text-fifo.js';

t.test('behaves as a plain array queue over any sequence of pushes and shifts, with the character count', (t) => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)), { maxLength: 5_000 }), (ops) => {
      const fifo = new TextFifo();
      const model: string[] = [];
      for (const op of ops) {
        if (op === null) {
          if (model.length === 0) continue;
          if (fifo.shift() !== model.shift()) return false;
        } else {
          fifo.push(op);
          model.push(op);
        }
        if (fifo.length !== model.length) return false;
        if (fifo.chars !== model.reduce((n, s) => n + s.length, 0)) return false;
      }
      while (model.length > 0) if (fifo.shift() !== model.shift()) return false;
      return fifo.length === 0 && fifo.chars === 0;
    }),
    { numRuns: 200 },
  );
  t.end();
});

t.test('compacts: 100,000 lines through a queue never holding more than 10 leave it small and in order', (t) => {
  const fifo = new TextFifo();
  let next = 0;
  let expected = 0;
  for (let i = 0; i < 100_000; i++) {
    fifo.push(String(next++));
    if (fifo.length > 10 && fifo.shift() !== String(expected++)) t.fail(`order at line ${expected - 1}`);
  }
  t.equal(fifo.length, 10);
  while (fifo.length > 0) if (fifo.shift() !== String(expected++)) t.fail('order at the end');
  t.equal(expected, 100_000);
  t.end();
});

t.test('shift on an empty queue is a typed error, not undefined', (t) => {
  const fifo = new TextFifo();
  t.throws(() => fifo.shift(), RangeError);
  fifo.push('a');
  t.equal(fifo.shift(), 'a');
  t.throws(() => fifo.shift(), RangeError);
  t.end();
});
