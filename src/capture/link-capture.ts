import type { Transport } from '../transport/transport.js';
import type { CaptureDirection } from './capture-record.js';
import { FrameTap } from './frame-tap.js';
import { type CaptureCounters, PcapngFile } from './pcapng-file.js';

/**
 * One link to capture. `fromDevice` delivers, as `data`, the bytes the device sent (the host's
 * end); `toDevice`, when given, delivers the bytes the host sent (the device's end of an
 * in-process link, or a tap on the host's writes, see tapWrites).
 */
export interface CapturedLink {
  readonly id: string;
  readonly fromDevice: Pick<Transport, 'on' | 'off'>;
  readonly toDevice?: Pick<Transport, 'on' | 'off'>;
  /**
   * How to label what `fromDevice` delivers (default device-to-host); a listener on one port of
   * a link that cannot tell says `unknown`.
   */
  readonly fromDeviceDirection?: CaptureDirection;
}

/** A capture in progress. */
export interface LinkCapture {
  /** Stop listening, write pending partial frames, close the file. */
  close(): Promise<CaptureCounters>;
}

/**
 * Capture every frame of `links`, both ways where it can, into one pcapng file (one interface
 * per link). Listening is passive: it changes nothing the drivers see or send.
 */
export function captureLinks(
  path: string,
  links: readonly CapturedLink[],
  timestampUs: () => number,
  maxBytes?: number,
): LinkCapture {
  const file = new PcapngFile(path, maxBytes);
  const detach: (() => void)[] = [];
  const taps: FrameTap[] = [];
  const listen = (id: string, source: Pick<Transport, 'on' | 'off'>, direction: CaptureDirection): void => {
    const tap = new FrameTap(id, direction, (frame) => file.write(frame), timestampUs);
    const onData = (chunk: Uint8Array): void => tap.push(chunk);
    source.on('data', onData);
    taps.push(tap);
    detach.push(() => source.off('data', onData));
  };
  for (const link of links) {
    if (link.toDevice !== undefined) listen(link.id, link.toDevice, 'host-to-device');
    listen(link.id, link.fromDevice, link.fromDeviceDirection ?? 'device-to-host');
  }
  return {
    async close() {
      for (const off of detach) off();
      for (const tap of taps) tap.end();
      return file.close();
    },
  };
}

/**
 * A `data`-style view of the bytes the host writes to `transport` (write, and the in-process
 * handOver/writeOwned capabilities when it has them), for links whose device end is elsewhere
 * (serial, TCP, PTY). The transport's behaviour is unchanged: the tap sees the bytes before they
 * go out and never throws into the writer.
 */
export function tapWrites(transport: Transport): Pick<Transport, 'on' | 'off'> {
  const listeners = new Set<(chunk: Uint8Array) => void>();
  const notify = (bytes: Uint8Array): void => {
    for (const listener of listeners) {
      try {
        listener(bytes.slice());
      } catch {
        // a capture problem never reaches the link
      }
    }
  };
  const target = transport as unknown as Record<string, unknown>;
  for (const method of ['write', 'handOver', 'writeOwned'] as const) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = function (this: unknown, bytes: Uint8Array, ...rest: unknown[]): unknown {
      notify(bytes);
      return (original as (...args: unknown[]) => unknown).call(this, bytes, ...rest);
    };
  }
  return {
    on: ((event: string, listener: (chunk: Uint8Array) => void) => {
      if (event === 'data') listeners.add(listener);
    }) as Transport['on'],
    off: ((event: string, listener: (chunk: Uint8Array) => void) => {
      if (event === 'data') listeners.delete(listener);
    }) as Transport['off'],
  };
}
