import { type DecodeResult, decodeWireFrame } from '../protocol/index.js';
import type { ReadPacket } from './pcapng-reader.js';

/** One packet of a capture as `frames decode --pcapng` prints it. */
export type DecodedPacket = {
  readonly link: string;
  readonly direction: string;
  /** Microseconds since the Unix epoch. */
  readonly timestampUs: number;
  readonly partial: boolean;
} & ({ ok: true; message: unknown } | { ok: false; error: string; detail: string; input: string });

/** Decode a captured packet as the host would (a partial one is a `length` error). */
export function decodePacket(packet: ReadPacket): DecodedPacket {
  const base = {
    link: packet.link,
    direction: packet.direction,
    timestampUs: packet.timestampUs,
    partial: packet.partial,
  };
  const result: DecodeResult = packet.partial
    ? { ok: false, error: 'length', detail: `${packet.wire.length} bytes without a closing 0x00` }
    : decodeWireFrame(
        packet.wire,
        packet.direction === 'unknown' ? {} : { receiving: packet.direction as 'host-to-device' | 'device-to-host' },
      );
  return result.ok
    ? { ...base, ok: true, message: result.message }
    : {
        ...base,
        ok: false,
        error: result.error,
        detail: result.detail,
        input: Buffer.from(packet.wire).toString('hex'),
      };
}
