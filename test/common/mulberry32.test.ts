import t from 'tap';
import { mulberry32 } from '../../src/common/mulberry32.js';

/** Pins the sequence: fault-proxy seeds and benchmark loads are reproduced from it. */
t.test('mulberry32 gives the same sequence for the same seed modulo 2^32', async (t) => {
  const first3 = (seed: number): number[] => {
    const random = mulberry32(seed);
    return [random(), random(), random()].map((x) => x * 2 ** 32);
  };
  t.same(first3(0), [1144304738, 1416247, 958946056]);
  t.same(first3(8), [671282643, 2685180315, 1291344547]);
  t.same(first3(2 ** 32 + 8), first3(8), 'the seed is taken modulo 2^32');
  t.same(first3(-1), [3850105811, 813802916, 3073704848]);
  const random = mulberry32(42);
  for (let i = 0; i < 1_000; i++) {
    const x = random();
    if (!(x >= 0 && x < 1)) t.fail(`draw ${i} is ${x}`);
  }
});
