import { STATUS_MAX_GAP_US } from '../../protocol/timing-rules.js';
import type { CheckContext } from '../check-context.js';
import { formatMs } from '../format-ms.js';

/** How long the periodic-status checks watch. */
export const STATUS_WATCH_US = 1_000_000;

/**
 * Statuses of one type over a watch window: the largest gap in device time and in arrival time
 * (from the window start), failing the check when either is over a period (+5 %, scaled for
 * arrivals).
 */
export async function expectPeriodicStatus(
  ctx: CheckContext,
  type: 'RADAR_STATUS' | 'LAUNCHER_STATUS',
): Promise<string> {
  const from = ctx.probe.cursor();
  const startUs = ctx.clock.nowUs();
  ctx.step(`watching ${type} for ${formatMs(STATUS_WATCH_US)}`);
  await ctx.sleep(STATUS_WATCH_US);
  const statuses = ctx.probe.messagesSince(from, type);
  const limitUs = STATUS_MAX_GAP_US;
  if (statuses.length < 2)
    ctx.fail(`${statuses.length} ${type} in ${formatMs(STATUS_WATCH_US)}, expected one at least every 100 ms`);
  let deviceGapUs = 0;
  let arrivalGapUs = statuses[0]!.atUs - startUs;
  for (let i = 1; i < statuses.length; i++) {
    deviceGapUs = Math.max(deviceGapUs, statuses[i]!.message.deviceTimeUs - statuses[i - 1]!.message.deviceTimeUs);
    arrivalGapUs = Math.max(arrivalGapUs, statuses[i]!.atUs - statuses[i - 1]!.atUs);
  }
  arrivalGapUs = Math.max(arrivalGapUs, ctx.clock.nowUs() - statuses[statuses.length - 1]!.atUs);
  const deviceLimitUs = ctx.deviceBound(limitUs);
  if (deviceGapUs > deviceLimitUs) {
    ctx.fail(`${formatMs(deviceGapUs)} between two ${type} in device time, ${ctx.boundText(limitUs, deviceLimitUs)}`);
  }
  const arrivalLimitUs = ctx.hostBound(limitUs);
  if (arrivalGapUs > arrivalLimitUs)
    ctx.fail(`${formatMs(arrivalGapUs)} without ${type}, ${ctx.boundText(limitUs, arrivalLimitUs)}`);
  return `${statuses.length} statuses in ${formatMs(STATUS_WATCH_US)}, largest gap ${formatMs(deviceGapUs)}`;
}
