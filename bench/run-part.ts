/**
 * Child process of the benchmark runner: runs one part of the suite and writes what it measured
 * as JSON to `--out FILE`, then exits (whatever handles the part left open). A fresh process per
 * part keeps one benchmark's heap, JIT state and leftovers out of the next one's figures, and a
 * crash out of the others'.
 *
 * `node dist/bench/run-part.js --part NAME [--quick] [--long] --out FILE`
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runPart } from './part-outcome.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      part: { type: 'string' },
      quick: { type: 'boolean' },
      long: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (values.part === undefined || values.out === undefined) {
    process.stderr.write('usage: run-part --part NAME [--quick] [--long] --out FILE\n');
    process.exit(2);
  }
  const outcome = await runPart(values.part, { quick: values.quick === true, long: values.long === true });
  writeFileSync(values.out, JSON.stringify(outcome));
  process.exit(0);
}

await main();
