import { BENCH_HELP, benchMain } from '../../../bench/run.js';
import type { Command } from '../command.js';

/**
 * `shieldlink bench`: the benchmark suite (bench/run.ts), the same as `npm run
 * bench`. Figures go to bench/results/latest.json and the table of docs/performance.md.
 */
export const benchCommand: Command = {
  path: ['bench'],
  summary: 'run the benchmark suite and regenerate docs/performance.md',
  help: BENCH_HELP,
  run(args, io) {
    return benchMain(args, io);
  },
};
