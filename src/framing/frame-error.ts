/**
 * Why a frame was rejected. Every rejection is typed and counted; nothing is thrown past the
 * framing layer (ICD-FRM-010).
 * - `cobs`: the block between two delimiters is not valid COBS.
 * - `crc`: the CRC does not match the body.
 * - `version`: the version byte is not one this host speaks.
 * - `unknown-type`: no message of that type code exists (for that direction).
 * - `length`: body shorter than the header and CRC, longer than the maximum, or a payload
 *   whose size does not match its message type; also an over-long run without a delimiter.
 * - `field`: a field holds a value outside its type (enum code, reserved flag bit, u64 beyond
 *   2^53-1, NaN or infinite float).
 */
export type FrameErrorCode = 'cobs' | 'crc' | 'version' | 'unknown-type' | 'length' | 'field';

export const FRAME_ERROR_CODES: readonly FrameErrorCode[] = [
  'cobs',
  'crc',
  'version',
  'unknown-type',
  'length',
  'field',
];

/** A rejected frame: the code, a human-readable detail, and the raw bytes for diagnosis. */
export interface FrameError {
  readonly ok: false;
  readonly error: FrameErrorCode;
  readonly detail: string;
}

/** Per-code rejection counters. */
export type FrameErrorCounters = Record<FrameErrorCode, number>;

export function emptyFrameErrorCounters(): FrameErrorCounters {
  return { cobs: 0, crc: 0, version: 0, 'unknown-type': 0, length: 0, field: 0 };
}

export function frameError(error: FrameErrorCode, detail: string): FrameError {
  return { ok: false, error, detail };
}
