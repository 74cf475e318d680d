import type { Clock } from './clock.js';

/**
 * The absolute `process.hrtime.bigint()` value at which a real `Clock` reads 0, so that another
 * thread (which cannot share the Clock instance) can keep time in the same epoch:
 * `clock.nowUs() ≈ Number(process.hrtime.bigint() - epoch) / 1000`.
 *
 * `process.hrtime` is CLOCK_MONOTONIC, the same in every thread of the process. The estimate is
 * taken from the tightest of a few back-to-back samples; its error is half that sample's width
 * (well under a microsecond on an idle core).
 *
 * @throws RangeError for a virtual clock, whose time has no relation to hrtime.
 */
export function hrtimeEpochNs(clock: Clock, samples = 5): bigint {
  if (clock.kind !== 'real') throw new RangeError('hrtimeEpochNs needs a real clock');
  let best: bigint | undefined;
  let bestWidth: bigint | undefined;
  for (let i = 0; i < Math.max(1, samples); i++) {
    const before = process.hrtime.bigint();
    const clockUs = clock.nowUs();
    const after = process.hrtime.bigint();
    const width = after - before;
    if (bestWidth === undefined || width < bestWidth) {
      bestWidth = width;
      best = before + width / 2n - BigInt(Math.round(clockUs * 1_000));
    }
  }
  return best!;
}
