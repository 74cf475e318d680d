import { ACK_DEADLINE_US, HEARTBEAT_PERIOD_US } from '../../src/protocol/timing-rules.js';

/**
 * How long after a device falls silent the host must consider its link lost: 3 heartbeat
 * periods (ICD-HOST-001) plus one ACK deadline for frames already on the wire.
 */
export const LINK_LOSS_GRACE_US = 3 * HEARTBEAT_PERIOD_US + ACK_DEADLINE_US;

/**
 * Truth of "the link is down" for the safety counters: from LINK_LOSS_GRACE_US after a
 * silence or disconnect starts, until the first HELLO after every such fault has ended (the
 * host must re-handshake before commanding again). A FIRE received inside is a host bug.
 */
export class OutageTracker {
  private startUs: number | undefined;
  private activeOutages = 0;

  begin(nowUs: number): void {
    if (this.activeOutages++ === 0 && this.startUs === undefined) this.startUs = nowUs;
  }

  end(): void {
    if (this.activeOutages > 0) this.activeOutages--;
  }

  /** A HELLO arrived: closes the outage once every outage fault has ended. */
  hello(): void {
    if (this.activeOutages === 0) this.startUs = undefined;
  }

  isDown(nowUs: number): boolean {
    return this.startUs !== undefined && nowUs >= this.startUs + LINK_LOSS_GRACE_US;
  }
}
