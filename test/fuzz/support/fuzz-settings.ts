import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO } from '../../reliability/support/cli-process.js';

/**
 * Sizes and seed of the fuzzers. CI (`npm test`) runs the defaults; `npm run fuzz` sets
 * SHIELDLINK_DECODER_FUZZ_RUNS=1000000 and friends. SHIELDLINK_FUZZ_SEED reproduces a run.
 */
export const FUZZ_SEED = Number(process.env.SHIELDLINK_FUZZ_SEED ?? 8_008);
export const DECODER_RUNS = Number(process.env.SHIELDLINK_DECODER_FUZZ_RUNS ?? 20_000);
export const CONFIG_RUNS = Number(process.env.SHIELDLINK_CONFIG_FUZZ_RUNS ?? 1_000);

/** Where inputs that once failed are kept, per target; replayed by test/fuzz/corpus-replay.test.ts. */
export const CORPUS_DIR = join(REPO, 'test', 'corpus');

/** One corpus entry: what the input is and why it is kept. */
export interface CorpusEntry {
  readonly target: string;
  readonly note: string;
  /** Bytes as hex (decoders) or text (config). */
  readonly hex?: string;
  readonly text?: string;
  /** The config loader the text was found with (`parseScenario` or `parseConfigText`). */
  readonly loader?: string;
  /**
   * What the replay must see — written by hand when an entry is kept. Frames: the FrameError code
   * (or `ok:TYPE`) both decoders return. Config: per loader, `parsed` or a pattern the
   * ConfigError's issues (`path: message` lines) must match.
   */
  readonly expect?: string | Readonly<Record<string, string>>;
}

/** Every corpus entry of `target` (a sub-directory of test/corpus). */
export function readCorpus(target: string): CorpusEntry[] {
  const dir = join(CORPUS_DIR, target);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusEntry);
}

/**
 * Run a fast-check property; when it fails, keep the counterexample in the corpus (so the
 * normal tests replay it from then on) and rethrow with the path.
 */
export function assertKeepingFailures<T>(
  target: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => boolean | void,
  toEntry: (value: T) => Omit<CorpusEntry, 'target' | 'note'>,
  numRuns: number,
): void {
  const details = fc.check(fc.property(arbitrary, predicate), { seed: FUZZ_SEED, numRuns });
  if (!details.failed) return;
  const counterexample = details.counterexample?.[0] as T | undefined;
  let where = '(no counterexample)';
  if (counterexample !== undefined) {
    const entry: CorpusEntry = {
      target,
      note: `found by seed ${FUZZ_SEED}: ${String(details.errorInstance ?? 'property false').split('\n')[0]}`,
      ...toEntry(counterexample),
    };
    const body = JSON.stringify(entry, null, 2) + '\n';
    const name = `found-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.json`;
    mkdirSync(join(CORPUS_DIR, target), { recursive: true });
    writeFileSync(join(CORPUS_DIR, target, name), body);
    where = join('test', 'corpus', target, name);
  }
  throw new Error(
    `${target} fuzz failed (seed ${FUZZ_SEED}); counterexample kept in ${where}: ${fc.defaultReportMessage(details)}`,
  );
}
