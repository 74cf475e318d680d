/**
 * Determinism: the same inputs at the same `nowUs` give the same outputs — event seq numbers and
 * command ids included — run after run, and whatever order a tick's inputs are handed over in
 * (the core sorts them by receive time, source id, seq).
 */
import fc from 'fast-check';
import t from 'tap';
import { episodeArb, runEpisode, type TickRecord } from './episode.js';

const outputs = (records: TickRecord[]) => JSON.stringify(records.map((r) => [r.nowUs, r.commands, r.events]));

t.test('same inputs twice → identical outputs', (t) => {
  fc.assert(
    fc.property(episodeArb, (ticks) => outputs(runEpisode(ticks)) === outputs(runEpisode(ticks))),
    { numRuns: 60, seed: 7 },
  );
  t.pass('deep-equal outputs');
  t.end();
});

t.test('input order within a tick does not matter', (t) => {
  fc.assert(
    fc.property(episodeArb, (ticks) => outputs(runEpisode(ticks, true)) === outputs(runEpisode(ticks, false))),
    { numRuns: 60, seed: 11 },
  );
  t.pass('shuffled inputs, identical outputs');
  t.end();
});

/** Whether a value is plain JSON with finite numbers only (what a run file can hold exactly). */
function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value === 'object') return Object.values(value as object).every((v) => v !== undefined && jsonExact(v));
  return false;
}

t.test('outputs are JSON-exact (a run file can hold them)', (t) => {
  fc.assert(
    fc.property(episodeArb, (ticks) => runEpisode(ticks).every((r) => jsonExact(r.commands) && jsonExact(r.events))),
    { numRuns: 30, seed: 5 },
  );
  t.pass('finite numbers, no undefined');
  t.end();
});
