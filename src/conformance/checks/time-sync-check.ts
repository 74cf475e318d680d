import { TIME_SYNC_RESPONSE_DEADLINE_US } from '../../protocol/timing-rules.js';
import { ANSWER_WAIT_US, type CheckContext } from '../check-context.js';
import { formatMs } from '../format-ms.js';
import type { RuleCheck } from '../rule-check.js';

/** Exchanges ICD-CMN-007 makes. */
export const TIME_SYNC_SAMPLES = 8;

/**
 * ICD-CMN-007: TIME_SYNC_RESPONSE echoes t1 exactly; t2 <= t3; t2 never goes back between
 * exchanges. Timing is judged two ways: the device's own t3 − t2 on every exchange (it stamps
 * both, so this is its latency, queueing included), and the host-observed round trip on the
 * median of the exchanges against 5 ms (scaled, plus link allowance) — so a device that answers
 * late is caught, while one stall of the host's OS does not fail the device.
 */
export const cmn007Check: RuleCheck = {
  ruleId: 'ICD-CMN-007',
  title: 'TIME_SYNC_RESPONSE within 5 ms echoing t1, with t2 <= t3',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    // t3 − t2 is stamped by the device at both ends of an answer due at once: never widened.
    const turnLimitUs = TIME_SYNC_RESPONSE_DEADLINE_US;
    let previousT3: number | undefined;
    const rtts: number[] = [];
    let worstTurnUs = 0;
    for (let i = 0; i < TIME_SYNC_SAMPLES; i++) {
      ctx.step(`TIME_SYNC_REQUEST ${i + 1}`);
      // Distinct, odd-looking t1 values: an echo that is not exact shows.
      const t1 = Math.floor(ctx.clock.nowUs()) * 2 + 1 + i;
      const sent = await ctx.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: t1 });
      const wait = ctx.scaled(ANSWER_WAIT_US);
      const response = await ctx.nextOf('TIME_SYNC_RESPONSE', wait, { from: sent.cursor });
      if (response === undefined) ctx.fail(`no TIME_SYNC_RESPONSE within ${formatMs(wait)}`);
      const { t1HostUs, t2DeviceUs: t2, t3DeviceUs: t3 } = response.message;
      if (t1HostUs !== t1) ctx.fail(`TIME_SYNC_RESPONSE echoes t1 = ${t1HostUs}, the request had ${t1}`);
      if (t2 > t3) ctx.fail(`t2 ${t2} > t3 ${t3}`);
      const turnUs = t3 - t2;
      if (turnUs > turnLimitUs)
        ctx.fail(`t3 − t2 = ${formatMs(turnUs)} in device time, limit ${formatMs(turnLimitUs)}`);
      if (previousT3 !== undefined && t2 < previousT3)
        ctx.fail(`t2 ${t2} is before the previous response's t3 ${previousT3}`);
      previousT3 = t3;
      rtts.push(response.atUs - sent.atUs);
      worstTurnUs = Math.max(worstTurnUs, turnUs);
    }
    const sorted = [...rtts].sort((a, b) => a - b);
    const medianUs = sorted[Math.floor(sorted.length / 2)]!;
    const bound = ctx.hostBound(TIME_SYNC_RESPONSE_DEADLINE_US);
    if (medianUs > bound) {
      ctx.fail(
        `TIME_SYNC_RESPONSE after ${formatMs(medianUs)} (median of ${rtts.length}), ${ctx.boundText(TIME_SYNC_RESPONSE_DEADLINE_US, bound)}`,
      );
    }
    ctx.note(
      `round trip median ${formatMs(medianUs)}, worst ${formatMs(sorted[sorted.length - 1]!)}; t3 − t2 at most ${formatMs(worstTurnUs)}`,
    );
  },
};
