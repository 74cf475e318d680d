/**
 * Preloaded into the `shieldlink sim` process by the launch benchmark (`node --import
 * <this> …/main.js sim …`): when the simulated world starts, it prints on stderr the
 * `process.hrtime` instant of the world's scenario time 0 (the devices' power-on):
 *
 *     shieldlink-bench-power-on {"powerOnHrtimeNs":"123456789012345"}
 *
 * `process.hrtime` is CLOCK_MONOTONIC, one clock for every process of the machine, so the
 * benchmark can then put any instant of its own process on the simulator's world clock, and
 * from the scenario's clock model (offset, drift) compute the launcher's true time at that
 * instant: the truth that the host's time-sync estimate is judged against.
 *
 * The simulator is not changed: this only wraps `World.start()` (public) and reads the public
 * `World.scenarioUs()`. The instant is the tightest of a few back-to-back (hrtime, scenarioUs)
 * readings, so its error is half a reading's width (well under a microsecond).
 */
import { World } from '../firmware-sim/world/world.js';
import { POWER_ON_LINE_PREFIX } from './sim-epoch-probe-line.js';

const originalStart = World.prototype.start;
let reported = false;

World.prototype.start = function start(this: World): void {
  originalStart.call(this);
  if (reported) return;
  reported = true;
  let best: bigint | undefined;
  let bestWidth: bigint | undefined;
  for (let i = 0; i < 9; i++) {
    const before = process.hrtime.bigint();
    const scenarioUs = this.scenarioUs();
    const after = process.hrtime.bigint();
    const width = after - before;
    if (bestWidth === undefined || width < bestWidth) {
      bestWidth = width;
      best = before + width / 2n - BigInt(Math.round(scenarioUs * 1_000));
    }
  }
  process.stderr.write(`${POWER_ON_LINE_PREFIX}${JSON.stringify({ powerOnHrtimeNs: String(best) })}\n`);
};
