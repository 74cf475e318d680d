import { type FrameErrorCounters, emptyFrameErrorCounters } from '../../framing/index.js';
import { NAK_REASONS } from '../../protocol/index.js';
import type { NakReason } from '../device-errors.js';

/**
 * Counters of one device link, cumulative over every transport session of the driver
 * (reconnects do not reset them). All are plain non-negative integers.
 */
export interface LinkCounters {
  /** Frames decoded from the device (duplicates included). */
  framesIn: number;
  /** Frames written to the transport (retransmissions included). */
  framesOut: number;
  /** Bytes received / written. */
  bytesIn: number;
  bytesOut: number;
  /** Rejected received frames by reason (ICD-FRM-010). */
  frameErrors: FrameErrorCounters;
  /** Received bytes thrown away by the framer (over-long runs, partial frames, rejected frames). */
  discardedBytes: number;
  /** Device frames missing according to the sequence numbers (ICD-FRM-009). */
  seqGaps: number;
  /** Device frames received twice (same seq), suppressed (ICD-FRM-009). */
  duplicates: number;
  /** Frames far outside the sequence window, taken as a restart of the device numbering. */
  seqResyncs: number;
  /** Host frames retransmitted for lack of ACK (ICD-CMN-005). */
  retransmits: number;
  /** ACKs received for a pending frame. */
  acks: number;
  /** NAKs received for a pending frame, by reason (ICD-CMN-006). */
  naks: Record<NakReason, number>;
  /** ACK/NAK received that matched no pending frame (late or duplicate answers). */
  unmatchedAcks: number;
  /** Acknowledged frames abandoned after the retry limit. */
  ackTimeouts: number;
  /** ACKs sent by the host for device frames that requested one (FIRE_REPORT). */
  acksSent: number;
  /** Transport write failures. */
  writeErrors: number;
  /** Transport `error` events. */
  transportErrors: number;
  /** Transport sessions opened / closed unexpectedly. */
  opens: number;
  unexpectedCloses: number;
  /** Times the link was declared lost for silence (ICD-HOST-001). */
  linkLosses: number;
  /** TIME_SYNC_REQUESTs whose response never came in time, or came unmatched. */
  timeSyncTimeouts: number;
}

export function emptyLinkCounters(): LinkCounters {
  return {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    frameErrors: emptyFrameErrorCounters(),
    discardedBytes: 0,
    seqGaps: 0,
    duplicates: 0,
    seqResyncs: 0,
    retransmits: 0,
    acks: 0,
    naks: Object.fromEntries(NAK_REASONS.map((r) => [r, 0])) as Record<NakReason, number>,
    unmatchedAcks: 0,
    ackTimeouts: 0,
    acksSent: 0,
    writeErrors: 0,
    transportErrors: 0,
    opens: 0,
    unexpectedCloses: 0,
    linkLosses: 0,
    timeSyncTimeouts: 0,
  };
}

/** A deep copy, safe to hand to listeners. */
export function copyLinkCounters(counters: LinkCounters): LinkCounters {
  return { ...counters, frameErrors: { ...counters.frameErrors }, naks: { ...counters.naks } };
}
