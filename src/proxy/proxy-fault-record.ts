import type { ProxyDirection } from './fault-spec.js';

/**
 * One injected fault, as the proxy logs it (one JSON line each). `offset` is the index of the
 * affected byte in the direction's input stream (bytes received from that side since start), so
 * a log and a capture of the clean stream can be lined up.
 */
export interface ProxyFaultRecord {
  /** Proxy clock, microseconds since the proxy's clock epoch. */
  readonly tUs: number;
  readonly direction: ProxyDirection;
  readonly fault: 'drop' | 'flip' | 'dup' | 'garbage' | 'delay';
  readonly offset: number;
  /** drop: the byte lost; flip: the bit flipped (0..7); dup: frame length; garbage: burst length; delay: microseconds. */
  readonly value: number;
}

/** What one direction of the proxy did. */
export interface ProxyDirectionCounters {
  bytesIn: number;
  bytesOut: number;
  dropped: number;
  flipped: number;
  duplicatedFrames: number;
  garbageBursts: number;
  garbageBytes: number;
  delayedChunks: number;
  /** Bytes that arrived while the other side was closed (a cable with nobody at the far end). */
  lostWhileClosed: number;
}

export function emptyDirectionCounters(): ProxyDirectionCounters {
  return {
    bytesIn: 0,
    bytesOut: 0,
    dropped: 0,
    flipped: 0,
    duplicatedFrames: 0,
    garbageBursts: 0,
    garbageBytes: 0,
    delayedChunks: 0,
    lostWhileClosed: 0,
  };
}
