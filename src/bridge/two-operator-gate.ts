import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import { canonicalJson } from './canonical-json.js';
import type { CommandAction, CommandRequest } from './schemas/command-request.js';

/** Whether a command needs two distinct operators: setting FREE and arming (docs/mqtt.md §The two-operator rule). */
export function needsTwoOperators(action: CommandAction): boolean {
  return action.verb === 'arm' || (action.verb === 'set-weapons-control' && action.args.status === 'free');
}

/** A command waiting for its second operator. */
export interface PendingApproval {
  readonly command: CommandRequest;
  readonly operator: string;
  readonly keyId: string;
  readonly action: string;
}

export type ApprovalVerdict =
  | { readonly kind: 'first'; readonly pending: PendingApproval; readonly expiresInMs: number }
  | { readonly kind: 'complete'; readonly first: PendingApproval }
  | { readonly kind: 'reject'; readonly reason: 'same-operator' | 'two-operator-mismatch' | 'busy' };

/**
 * The two-operator rule: the first valid signature on a command id opens a window (default
 * 30 s); a valid signature by a different operator (operators, not keys) on the same id, verb and
 * args within it completes the command; the same operator again, or different verb/args, is
 * rejected and leaves the window open; when it closes, `onExpired` reports the first approval
 * (the bridge answers `rejected: no-second-operator`).
 */
export class TwoOperatorGate {
  private readonly pending = new Map<string, { approval: PendingApproval; timer: TimerHandle }>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly maxPending: number,
    private readonly onExpired: (approval: PendingApproval) => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Present one verified signature. */
  approve(command: CommandRequest, operator: string): ApprovalVerdict {
    const action = canonicalJson({ verb: command.verb, args: command.args });
    const open = this.pending.get(command.id);
    if (open === undefined) {
      if (this.pending.size >= this.maxPending) return { kind: 'reject', reason: 'busy' };
      const approval: PendingApproval = { command, operator, keyId: command.keyId, action };
      const timer = this.clock.setTimer(this.windowMs * US_PER_MS, () => {
        this.pending.delete(command.id);
        this.onExpired(approval);
      });
      this.pending.set(command.id, { approval, timer });
      return { kind: 'first', pending: approval, expiresInMs: this.windowMs };
    }
    if (open.approval.action !== action) return { kind: 'reject', reason: 'two-operator-mismatch' };
    if (open.approval.operator === operator) return { kind: 'reject', reason: 'same-operator' };
    open.timer.cancel();
    this.pending.delete(command.id);
    return { kind: 'complete', first: open.approval };
  }

  /** Close every window now (shutdown); returns the approvals that were waiting. */
  drain(): PendingApproval[] {
    const approvals = [...this.pending.values()].map((p) => {
      p.timer.cancel();
      return p.approval;
    });
    this.pending.clear();
    return approvals;
  }
}
