import type { Message } from '../../protocol/index.js';
import type { CheckContext } from '../check-context.js';
import { currentStatus, probeCommand } from '../device-state.js';
import { type MalformedCase, deviceOutputFaults, expectDiscarded } from '../expect-discarded.js';
import type { FrameFaultKind } from '../inspect-frame.js';
import type { RuleCheck } from '../rule-check.js';

/** How long the frame checks watch the device's own output, at least. */
export const OUTPUT_WATCH_US = 300_000;

/** What a malformed-frame check is made of. */
export interface MalformedFrameCheckSpec {
  readonly ruleId: string;
  readonly title: string;
  /** The cases to send; `command()` gives a fresh valid probe command (new id and seq) each call. */
  cases(ctx: CheckContext, command: () => Message): MalformedCase[];
  /** Kinds of invalid frame the device itself must never send under this rule. */
  readonly outputFaults: readonly FrameFaultKind[];
}

/**
 * A frame rule checked both ways: the device discards the malformed frames (no answer, no state
 * change, still answering), and its own output over the check has none of `outputFaults`.
 */
export function malformedFrameCheck(spec: MalformedFrameCheckSpec): RuleCheck {
  return {
    ruleId: spec.ruleId,
    title: spec.title,
    devices: ['radar', 'launcher'],
    async run(ctx: CheckContext) {
      const from = ctx.probe.cursor();
      const startUs = ctx.clock.nowUs();
      const status = await currentStatus(ctx);
      await expectDiscarded(
        ctx,
        spec.cases(ctx, () => probeCommand(ctx, status)),
      );
      const remainingUs = startUs + OUTPUT_WATCH_US - ctx.clock.nowUs();
      if (remainingUs > 0) await ctx.sleep(remainingUs);
      const faults = deviceOutputFaults(ctx, from, spec.outputFaults);
      if (faults !== undefined) ctx.fail(faults);
    },
  };
}
