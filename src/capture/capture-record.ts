/**
 * The packet of a shieldlink capture: one frame as seen on one link, with the link's name and
 * the frame's direction in front of the wire bytes, so that a packet read on its own (in
 * Wireshark, tshark, or `shieldlink frames decode --pcapng`) says where it was and which way it
 * went (decision 0013).
 *
 * Layout (all one byte unless said):
 *
 * | offset | size | field                                                                   |
 * | ------ | ---- | ----------------------------------------------------------------------- |
 * | 0      | 2    | magic `SL`                                                              |
 * | 2      | 1    | layout version (1)                                                      |
 * | 3      | 1    | direction: 0 host-to-device, 1 device-to-host, 2 unknown                |
 * | 4      | 1    | flags: bit 0 = partial (no closing 0x00: cut by overflow or end of data) |
 * | 5      | 1    | length N of the link name                                               |
 * | 6      | N    | link name, UTF-8 (device id or link URL)                                |
 * | 6 + N  | rest | the bytes on the wire: the COBS block and its closing 0x00 when present |
 */

/** pcapng/pcap link type of shieldlink packets: LINKTYPE_USER0 (decision 0013). */
export const CAPTURE_LINKTYPE = 147;
/** First two bytes of every packet. */
export const CAPTURE_HEADER_MAGIC = 'SL';
/** Version of the packet layout. */
export const CAPTURE_HEADER_VERSION = 1;
/** Flag: the wire bytes are not a whole frame (no closing delimiter). */
export const CAPTURE_FLAG_PARTIAL = 0x01;
/** Longest link name kept (longer names are cut, on a UTF-8 boundary). */
export const MAX_LINK_NAME_BYTES = 255;

/** Which way a frame went. */
export type CaptureDirection = 'host-to-device' | 'device-to-host' | 'unknown';
const DIRECTION_CODES: readonly CaptureDirection[] = ['host-to-device', 'device-to-host', 'unknown'];

/** One frame as captured. */
export interface CapturedFrame {
  /** Device id or link URL. */
  readonly link: string;
  readonly direction: CaptureDirection;
  /** The bytes on the wire: a COBS block and its closing 0x00 (absent when `partial`). */
  readonly wire: Uint8Array;
  readonly partial: boolean;
}

/** A packet that is not a shieldlink capture record. */
export class CaptureRecordError extends Error {
  readonly code = 'capture-record';
  constructor(message: string) {
    super(message);
    this.name = 'CaptureRecordError';
  }
}

/** The link name as at most MAX_LINK_NAME_BYTES of UTF-8, never cutting a character. */
function linkNameBytes(link: string): Buffer {
  let bytes = Buffer.from(link, 'utf8');
  let chars = [...link];
  while (bytes.length > MAX_LINK_NAME_BYTES) {
    chars = chars.slice(0, -1);
    bytes = Buffer.from(chars.join(''), 'utf8');
  }
  return bytes;
}

/** The packet bytes of a captured frame. */
export function encodeCaptureRecord(frame: CapturedFrame): Uint8Array {
  const name = linkNameBytes(frame.link);
  const out = new Uint8Array(6 + name.length + frame.wire.length);
  out[0] = CAPTURE_HEADER_MAGIC.charCodeAt(0);
  out[1] = CAPTURE_HEADER_MAGIC.charCodeAt(1);
  out[2] = CAPTURE_HEADER_VERSION;
  out[3] = DIRECTION_CODES.indexOf(frame.direction);
  out[4] = frame.partial ? CAPTURE_FLAG_PARTIAL : 0;
  out[5] = name.length;
  out.set(name, 6);
  out.set(frame.wire, 6 + name.length);
  return out;
}

/** Read a packet back; throws CaptureRecordError when it is not one of ours. */
export function decodeCaptureRecord(packet: Uint8Array): CapturedFrame {
  if (packet.length < 6 || packet[0] !== 0x53 || packet[1] !== 0x4c) {
    throw new CaptureRecordError('packet does not start with the shieldlink capture magic "SL"');
  }
  if (packet[2] !== CAPTURE_HEADER_VERSION) {
    throw new CaptureRecordError(`capture record layout ${packet[2]} is not ${CAPTURE_HEADER_VERSION}`);
  }
  const direction = DIRECTION_CODES[packet[3]!];
  if (direction === undefined) throw new CaptureRecordError(`direction code ${packet[3]} is not 0, 1 or 2`);
  const nameLength = packet[5]!;
  if (6 + nameLength > packet.length) throw new CaptureRecordError('link name runs past the end of the packet');
  return {
    link: Buffer.from(packet.subarray(6, 6 + nameLength)).toString('utf8'),
    direction,
    partial: (packet[4]! & CAPTURE_FLAG_PARTIAL) !== 0,
    wire: packet.slice(6 + nameLength),
  };
}
