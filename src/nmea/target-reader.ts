/**
 * A line-framed reader of ARPA target sentences from a byte stream (a serial port at 4800 or
 * 38400 baud): bytes in, TTM and TLL reports out. Lines end in LF (CR LF tolerated); a line
 * longer than 256 characters is discarded up to its end (bounded memory, counted). A bad checksum,
 * a missing checksum or a bad field is counted and the sentence ignored; the stream goes on.
 */
import { parseNmeaSentence } from './nmea-sentence.js';
import { NmeaFieldError, type TllReport, type TtmReport, parseTll, parseTtm } from './target-sentences.js';

/** Longest line kept (IEC 61162-1 allows 82 characters; slack for non-conforming talkers). */
export const NMEA_MAX_LINE_CHARS = 256;

/** What the reader has seen (cumulative). */
export interface NmeaReaderCounters {
  lines: number;
  ttm: number;
  tll: number;
  /** sentences of other formatters (ignored) */
  otherSentences: number;
  checksumErrors: number;
  missingChecksums: number;
  /** not a sentence: bad start, bad address, over 82 characters */
  malformed: number;
  /** a TTM/TLL whose fields are wrong (unit, status, number) */
  fieldErrors: number;
  /** lines over NMEA_MAX_LINE_CHARS, discarded */
  overlongLines: number;
}

/** Where reports go (synchronously, in stream order). `rejected` hears every refused line. */
export interface NmeaTargetSink {
  ttm?(report: TtmReport, talker: string): void;
  tll?(report: TllReport, talker: string): void;
  rejected?(reason: string, line: string): void;
}

export class NmeaTargetReader {
  readonly counters: NmeaReaderCounters = {
    lines: 0,
    ttm: 0,
    tll: 0,
    otherSentences: 0,
    checksumErrors: 0,
    missingChecksums: 0,
    malformed: 0,
    fieldErrors: 0,
    overlongLines: 0,
  };
  private line = '';
  private discarding = false;

  constructor(private readonly sink: NmeaTargetSink) {}

  /** Feed received bytes (any chunking). Never throws. */
  push(chunk: Uint8Array): void {
    for (let k = 0; k < chunk.length; k++) {
      const byte = chunk[k]!;
      if (byte === 0x0a) {
        if (!this.discarding) this.handleLine(this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line);
        this.line = '';
        this.discarding = false;
      } else if (!this.discarding) {
        if (this.line.length >= NMEA_MAX_LINE_CHARS) {
          this.counters.overlongLines++;
          this.sink.rejected?.('overlong', this.line.slice(0, 40));
          this.discarding = true;
          this.line = '';
        } else {
          this.line += String.fromCharCode(byte);
        }
      }
    }
  }

  /** Handle one complete line (without its line end). Never throws. */
  handleLine(text: string): void {
    if (text.trim() === '') return;
    this.counters.lines++;
    const parsed = parseNmeaSentence(text);
    if (!parsed.ok) {
      if (parsed.error === 'checksum') this.counters.checksumErrors++;
      else if (parsed.error === 'no-checksum') this.counters.missingChecksums++;
      else this.counters.malformed++;
      this.sink.rejected?.(`${parsed.error}: ${parsed.detail}`, text);
      return;
    }
    const { sentence } = parsed;
    try {
      if (sentence.formatter === 'TTM') {
        const report = parseTtm(sentence);
        this.counters.ttm++;
        this.sink.ttm?.(report, sentence.talker);
      } else if (sentence.formatter === 'TLL') {
        const report = parseTll(sentence);
        this.counters.tll++;
        this.sink.tll?.(report, sentence.talker);
      } else {
        this.counters.otherSentences++;
      }
    } catch (error) {
      if (!(error instanceof NmeaFieldError)) throw error;
      this.counters.fieldErrors++;
      this.sink.rejected?.(`field: ${error.message}`, text);
    }
  }
}
