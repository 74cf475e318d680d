import {
  type ConformanceReport,
  type RuleResult,
  formatResultLine,
  formatSummaryLine,
  resultJson,
  summaryJson,
} from '../../conformance/index.js';
import { type CommandIo, EXIT_OK, EXIT_RUNTIME, EXIT_VERDICT_FAIL } from '../command.js';

/** Exit code of a run stopped by SIGINT (128 + 2, the shell convention). */
export const EXIT_INTERRUPTED = 130;

/**
 * One rule's line of any conformance run (radar, launcher, TTM source): `PASS ID  title (detail)`
 * or, with `json`, one JSON object.
 */
export function writeRuleResult(io: CommandIo, json: boolean, result: RuleResult): void {
  io.stdout.write((json ? JSON.stringify(resultJson(result)) : formatResultLine(result)) + '\n');
}

/** The end of a radar or launcher run: the device's identity and the summary line, or the summary object. */
export function writeConformanceSummary(io: CommandIo, json: boolean, report: ConformanceReport): void {
  if (json) {
    io.stdout.write(JSON.stringify(summaryJson(report)) + '\n');
    return;
  }
  const id = report.identity;
  if (id !== undefined) {
    const schema = `schema 0x${id.schemaHash.toString(16).padStart(8, '0')}${id.schemaMatches ? '' : ' (differs from this build)'}`;
    io.stdout.write(`device: ${id.deviceKind}, serial ${id.deviceSerial}, firmware ${id.firmware}, ${schema}\n`);
  }
  io.stdout.write(formatSummaryLine(report) + '\n');
}

/**
 * Exit code of a radar or launcher run: 130 interrupted; 1 a rule failed (the device's verdict
 * comes first); 3 no rule failed but one or more were INCONCLUSIVE (the kit's own timing failed:
 * a runtime problem of the host, not a verdict); 0 otherwise (skips allowed unless --strict).
 */
export function conformanceExitCode(report: ConformanceReport): number {
  if (report.interrupted) return EXIT_INTERRUPTED;
  if (report.failed > 0) return EXIT_VERDICT_FAIL;
  if (report.inconclusive > 0) return EXIT_RUNTIME;
  return EXIT_OK;
}
