/**
 * Conformance checks for a TTM source (an ARPA radar on a serial line), in the style of the ICD
 * conformance kit: each rule has an id, a statement and a verdict with evidence. They judge a
 * capture of what the source sent (bytes as received, at least two of its periods).
 */
import { NMEA_MAX_SENTENCE_CHARS, parseNmeaSentence } from './nmea-sentence.js';
import { NmeaFieldError, parseTtm } from './target-sentences.js';

export interface TtmRuleResult {
  readonly id: string;
  readonly statement: string;
  readonly passed: boolean;
  /** What failed (first few), or what was checked. */
  readonly evidence: string;
}

interface Line {
  readonly text: string;
  readonly crlf: boolean;
}

function splitLines(bytes: Uint8Array): Line[] {
  const text = Buffer.from(bytes).toString('latin1');
  const parts = text.split('\n');
  parts.pop(); // an unfinished last line is not judged
  return parts
    .filter((line) => line !== '' && line !== '\r')
    .map((line) => ({ text: line.replace(/\r$/, ''), crlf: line.endsWith('\r') }));
}

function rule(id: string, statement: string, failures: string[], checked: number): TtmRuleResult {
  return {
    id,
    statement,
    passed: failures.length === 0 && checked > 0,
    evidence:
      checked === 0
        ? 'nothing to check'
        : failures.length === 0
          ? `${checked} checked`
          : `${failures.length} of ${checked}: ${failures.slice(0, 3).join('; ')}`,
  };
}

/** Run every rule over a capture of a TTM source. */
export function checkTtmSource(capture: Uint8Array): TtmRuleResult[] {
  const lines = splitLines(capture);
  const ttm = lines.filter((line) => /^[$!][A-Z0-9]{2}TTM,/.test(line.text));
  const checksum: string[] = [];
  const length: string[] = [];
  const ending: string[] = [];
  const fields: string[] = [];
  const numbers = new Set<number>();
  for (const line of lines) {
    const parsed = parseNmeaSentence(line.text);
    if (!parsed.ok && (parsed.error === 'checksum' || parsed.error === 'no-checksum'))
      checksum.push(`${parsed.detail}: ${line.text.slice(0, 30)}`);
    if (line.text.length + 2 > NMEA_MAX_SENTENCE_CHARS) length.push(`${line.text.length + 2} characters`);
    if (!line.crlf) ending.push(line.text.slice(0, 30));
  }
  for (const line of ttm) {
    const parsed = parseNmeaSentence(line.text);
    if (!parsed.ok) continue;
    try {
      const report = parseTtm(parsed.sentence);
      if (parsed.sentence.fields.length < 15)
        fields.push(`${parsed.sentence.fields.length} fields (UTC and acquisition type missing)`);
      numbers.add(report.targetNumber);
    } catch (error) {
      if (!(error instanceof NmeaFieldError)) throw error;
      fields.push(error.message);
    }
  }
  return [
    rule(
      'NMEA-TTM-001',
      'every sentence carries a checksum, and it matches (IEC 61162-1 §7.2.3)',
      checksum,
      lines.length,
    ),
    rule(
      'NMEA-TTM-002',
      `no sentence is longer than ${NMEA_MAX_SENTENCE_CHARS} characters with its delimiters`,
      length,
      lines.length,
    ),
    rule('NMEA-TTM-003', 'every sentence ends in CR LF', ending, lines.length),
    rule(
      'NMEA-TTM-004',
      'every TTM has 15 fields with valid units (K/N/S), references (T/R), status (L/Q/T) and numbers',
      fields,
      ttm.length,
    ),
    {
      id: 'NMEA-TTM-005',
      statement: 'the source reports tracked targets (at least one TTM)',
      passed: ttm.length > 0,
      evidence: `${ttm.length} TTM sentences, ${numbers.size} target numbers`,
    },
  ];
}
