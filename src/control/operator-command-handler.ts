import type { ControlConfig } from './control-config.js';
import type { OperatorRejectReason } from './control-events.js';
import type { OperatorCommandInput, WeaponsControlStatus } from './control-inputs.js';
import type { EngagementTable } from './engagement-table.js';
import type { OutputSink } from './output-sink.js';
import { HOLD_CEASE, HOLD_FIRE, HOLD_NONE, IFF_FRIENDLY, IFF_HOSTILE, type TrackTable } from './track-table.js';

const WCS: Readonly<Record<WeaponsControlStatus, true>> = { hold: true, tight: true, free: true };

/**
 * Applies authorised operator commands to the core's state and answers each with an
 * `operator-command-result` event. The effects on pending engagements (drop, ABORT) are applied
 * by the engagement supervisor later in the same tick, so an order and an interlock failure take
 * the same path.
 *
 * Rules: at least one operator; FREE needs `minOperatorsForFree` distinct operators (the bridge
 * checks too — defence in depth); `engage-track` only on a live, non-friendly track whose IFF the
 * current weapons control status allows.
 */
export class OperatorCommandHandler {
  /** Weapons control status: HOLD at start, changed only here. */
  wcs: WeaponsControlStatus = 'hold';

  constructor(
    private readonly config: ControlConfig,
    private readonly sink: OutputSink,
    private readonly tracks: TrackTable,
    private readonly engagements: EngagementTable,
  ) {}

  apply(input: OperatorCommandInput): void {
    const reason = this.execute(input);
    const sink = this.sink;
    sink.event({
      kind: 'operator-command-result',
      seq: sink.nextSeq(),
      atUs: sink.atUs,
      requestId: input.requestId,
      verb: input.command.verb,
      result: reason === null ? 'accepted' : 'rejected',
      reason,
      operatorIds: [...input.operatorIds],
    });
  }

  private execute(input: OperatorCommandInput): OperatorRejectReason | null {
    const operators = new Set(input.operatorIds);
    if (operators.size === 0) return 'no-operator';
    const c = input.command;
    const t = this.tracks;
    switch (c.verb) {
      case 'set-weapons-control': {
        if (!Object.prototype.hasOwnProperty.call(WCS, c.status)) return 'malformed';
        if (c.status === 'free' && operators.size < this.config.engagement.minOperatorsForFree)
          return 'not-enough-operators';
        const from = this.wcs;
        this.wcs = c.status;
        if (from !== c.status) {
          this.sink.event({
            kind: 'weapons-control',
            seq: this.sink.nextSeq(),
            atUs: this.sink.atUs,
            from,
            to: c.status,
            requestId: input.requestId,
            operatorIds: [...input.operatorIds],
          });
        }
        return null;
      }
      case 'engage-track': {
        const slot = t.findSlot(c.trackId);
        if (slot < 0) return 'unknown-track';
        if (t.iff[slot] === IFF_FRIENDLY) return 'track-friendly';
        if (this.wcs === 'hold' || (this.wcs === 'tight' && t.iff[slot] !== IFF_HOSTILE))
          return 'not-authorized-by-weapons-control';
        t.priority[slot] = 1;
        t.hold[slot] = HOLD_NONE;
        return null;
      }
      case 'hold-fire':
      case 'cease-fire': {
        const slot = t.findSlot(c.trackId);
        if (slot < 0) return 'unknown-track';
        t.hold[slot] = c.verb === 'hold-fire' ? HOLD_FIRE : HOLD_CEASE;
        t.priority[slot] = 0;
        return null;
      }
      case 'abort-engagement': {
        const e = this.engagements.findById(c.engagementId);
        if (e < 0) return 'unknown-engagement';
        const r = this.engagements.records[e]!;
        if (r.state !== 'planned' && r.state !== 'fire-sent') return 'unknown-engagement';
        if (r.state === 'fire-sent' && this.sink.atUs >= r.launchAtHostUs) return 'too-late';
        r.abortRequested = true;
        return null;
      }
      default:
        return 'malformed';
    }
  }
}
