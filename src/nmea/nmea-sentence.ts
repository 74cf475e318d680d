/**
 * NMEA 0183 sentences (IEC 61162-1 §7): `$` or `!`, a two-character talker id (any: `RA`,
 * `TT`, `II`, …, never assumed), a three-letter formatter, comma-separated fields, `*hh` — the
 * XOR of every character between the start delimiter and `*` — and CR LF. At most 82 characters
 * with the delimiters. The checksum is required here: a sentence without one is refused, as is
 * one whose checksum does not match (the caller counts and drops it).
 */

/** A parsed sentence. */
export interface NmeaSentence {
  readonly talker: string;
  readonly formatter: string;
  /** Fields after the address field, as text ('' for a null field). */
  readonly fields: readonly string[];
}

/** Why a line is not a usable sentence. */
export type NmeaErrorKind = 'format' | 'no-checksum' | 'checksum' | 'too-long';

export type NmeaParseResult =
  { ok: true; sentence: NmeaSentence } | { ok: false; error: NmeaErrorKind; detail: string };

/** Longest sentence IEC 61162-1 allows, delimiters and CR LF included. */
export const NMEA_MAX_SENTENCE_CHARS = 82;

/** XOR checksum of the characters of `body` (between `$` and `*`). */
export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let k = 0; k < body.length; k++) sum ^= body.charCodeAt(k) & 0xff;
  return sum;
}

/** `$` + body + `*hh` (uppercase hex), without CR LF. */
export function withChecksum(body: string): string {
  return `$${body}*${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Parse one line (CR LF already removed or not). Never throws. */
export function parseNmeaSentence(line: string): NmeaParseResult {
  const text = line.replace(/\r?\n?$/, '');
  if (text.length + 2 > NMEA_MAX_SENTENCE_CHARS)
    return {
      ok: false,
      error: 'too-long',
      detail: `${text.length + 2} characters, at most ${NMEA_MAX_SENTENCE_CHARS}`,
    };
  if (text[0] !== '$' && text[0] !== '!')
    return { ok: false, error: 'format', detail: 'a sentence starts with $ or !' };
  const star = text.lastIndexOf('*');
  if (star < 0) return { ok: false, error: 'no-checksum', detail: 'no *hh checksum' };
  const body = text.slice(1, star);
  const given = text.slice(star + 1);
  if (!/^[0-9A-Fa-f]{2}$/.test(given))
    return { ok: false, error: 'format', detail: `checksum field "${given}" is not two hex digits` };
  const computed = nmeaChecksum(body);
  if (computed !== parseInt(given, 16)) {
    return {
      ok: false,
      error: 'checksum',
      detail: `checksum ${given.toUpperCase()} != computed ${computed.toString(16).toUpperCase().padStart(2, '0')}`,
    };
  }
  const parts = body.split(',');
  const address = parts[0]!;
  if (!/^[A-Z0-9]{2}[A-Z]{3}$/.test(address))
    return { ok: false, error: 'format', detail: `address field "${address}" is not a talker id and a formatter` };
  return { ok: true, sentence: { talker: address.slice(0, 2), formatter: address.slice(2), fields: parts.slice(1) } };
}
