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
  const ranges: string[] = [];
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
    ranges.push(...ttmRangeProblems(parsed.sentence.fields));
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
    rule(
      'NMEA-TTM-006',
      'every TTM field is in range: target number an integer 0–999, bearing and course in [0, 360), distance and speed not negative',
      ranges,
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

/** Range problems of one TTM's fields (already parsed once: numbers are numbers). */
function ttmRangeProblems(fields: readonly string[]): string[] {
  const problems: string[] = [];
  const targetNumber = fields[0] ?? '';
  if (!/^\d{1,3}$/.test(targetNumber)) problems.push(`target number "${targetNumber}" is not an integer 0–999`);
  for (const [index, what] of [
    [2, 'bearing'],
    [5, 'course'],
  ] as const) {
    const text = fields[index] ?? '';
    if (text !== '' && !(Number(text) >= 0 && Number(text) < 360)) problems.push(`${what} ${text} is outside [0, 360)`);
  }
  for (const [index, what] of [
    [1, 'distance'],
    [4, 'speed'],
  ] as const) {
    const text = fields[index] ?? '';
    if (text !== '' && !(Number(text) >= 0)) problems.push(`${what} ${text} is negative`);
  }
  return problems;
}

/** One received line and when it arrived (seconds of the listener's clock). */
export interface TimedLine {
  readonly text: string;
  readonly atS: number;
}

/**
 * NMEA-TTM-007, the rate: over a listen window, every target reported tracking is reported
 * again at most `maxIntervalS` apart until it is reported lost (or the window ends), and the
 * source sends a TTM at least every `maxIntervalS`. Lines that are not valid TTM are ignored
 * here (the other rules judge them).
 */
export function checkTtmRate(
  lines: readonly TimedLine[],
  windowS: { readonly fromS: number; readonly toS: number },
  maxIntervalS: number,
): TtmRuleResult {
  const failures: string[] = [];
  const lastByTarget = new Map<number, number>();
  let lastAnyS = windowS.fromS;
  let judged = 0;
  for (const line of lines) {
    const parsed = parseNmeaSentence(line.text);
    if (!parsed.ok || parsed.sentence.formatter !== 'TTM') continue;
    let report;
    try {
      report = parseTtm(parsed.sentence);
    } catch {
      continue;
    }
    judged++;
    if (line.atS - lastAnyS > maxIntervalS)
      failures.push(`no TTM for ${(line.atS - lastAnyS).toFixed(2)} s before ${line.atS.toFixed(2)} s`);
    lastAnyS = line.atS;
    const previous = lastByTarget.get(report.targetNumber);
    if (previous !== undefined && line.atS - previous > maxIntervalS)
      failures.push(`target ${report.targetNumber} unreported for ${(line.atS - previous).toFixed(2)} s`);
    if (report.status === 'lost') lastByTarget.delete(report.targetNumber);
    else lastByTarget.set(report.targetNumber, line.atS);
  }
  if (windowS.toS - lastAnyS > maxIntervalS)
    failures.push(`no TTM in the last ${(windowS.toS - lastAnyS).toFixed(2)} s of the window`);
  for (const [target, atS] of lastByTarget)
    if (windowS.toS - atS > maxIntervalS)
      failures.push(
        `target ${target} unreported for the last ${(windowS.toS - atS).toFixed(2)} s (never reported lost)`,
      );
  return {
    id: 'NMEA-TTM-007',
    statement: `every tracked target is reported at least every ${maxIntervalS} s until reported lost`,
    passed: failures.length === 0 && judged > 0,
    evidence:
      judged === 0
        ? 'no valid TTM to judge'
        : failures.length === 0
          ? `${judged} TTM over ${(windowS.toS - windowS.fromS).toFixed(1)} s`
          : `${failures.length} gaps: ${failures.slice(0, 3).join('; ')}`,
  };
}
