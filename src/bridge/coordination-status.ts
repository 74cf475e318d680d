import type { CoordinationStatusPayload } from './schemas/status-payload.js';

/**
 * The node's engagement-coordination state for its retained `status` (`status.coordination`):
 * the node's coordination sets it (as often as it likes: only a change of what status shows —
 * a state, a since, a claim or hold count, a duplicate — counts), the bridge reads it into every
 * birth and re-publishes the birth on each change. Holds no clock; never throws into its setter.
 */
export class CoordinationStatusBoard {
  private latest: CoordinationStatusPayload | null = null;
  private key = '';
  private readonly listeners: (() => void)[] = [];
  /** Changes seen since boot. */
  changes = 0;

  /** What status carries now (null until coordination first reports). */
  payload(): CoordinationStatusPayload | null {
    return this.latest;
  }

  /** The coordination state now; listeners hear of it when status would show something new. */
  update(payload: CoordinationStatusPayload): void {
    const key = JSON.stringify(payload);
    if (key === this.key) return;
    this.key = key;
    this.latest = payload;
    this.changes += 1;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /** Called after every change (the bridge re-publishes its birth). */
  listen(listener: () => void): void {
    this.listeners.push(listener);
  }
}

/** The `coordination` member of a birth: present once the channel's owner has reported. */
export function coordinationOf(
  channel:
    | {
        readonly status: CoordinationStatusBoard;
      }
    | undefined,
): { coordination?: CoordinationStatusPayload } {
  const payload = channel?.status.payload() ?? null;
  return payload === null ? {} : { coordination: payload };
}
