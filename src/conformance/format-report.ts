import type { ConformanceReport, RuleResult } from './conformance-report.js';
import { formatMs } from './format-ms.js';

const STATUS_WORD = {
  pass: 'PASS',
  fail: 'FAIL',
  skip: 'SKIP',
  blocked: 'BLOCKED',
  inconclusive: 'INCONCLUSIVE',
} as const;

/** `PASS ICD-LNCH-006  FIRE late is refused with NAK late`, `FAIL … (expected NAK late, got ACK)`. */
export function formatResultLine(result: RuleResult): string {
  const detail = result.detail === undefined || result.detail === '' ? '' : ` (${result.detail})`;
  return `${STATUS_WORD[result.status]} ${result.ruleId}  ${result.title}${detail}`;
}

/**
 * `conformance launcher: 30 passed, 0 failed, 2 skipped, 0 blocked`, `, 1 inconclusive` when the
 * kit's own timing failed during a check, then on a real clock the kit's own scheduling error:
 * `; host scheduling error p99 0.3 ms, max 2.1 ms`.
 */
export function formatSummaryLine(report: ConformanceReport): string {
  const interrupted = report.interrupted ? ' (interrupted)' : '';
  const jitter =
    report.hostJitter.samples === 0
      ? ''
      : `; host scheduling error p99 ${formatMs(report.hostJitter.p99Us)}, max ${formatMs(report.hostJitter.maxUs)}`;
  const inconclusive = report.inconclusive > 0 ? `, ${report.inconclusive} inconclusive` : '';
  return `conformance ${report.device}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped, ${report.blocked} blocked${inconclusive}${interrupted}${jitter}`;
}

/** The JSON object of one rule (`--json`). */
export function resultJson(result: RuleResult): Record<string, unknown> {
  return {
    rule: result.ruleId,
    status: result.status,
    title: result.title,
    ...(result.detail === undefined ? {} : { detail: result.detail }),
    durationMs: Math.round(result.durationUs / 100) / 10,
  };
}

/** The final JSON object (`--json`). */
export function summaryJson(report: ConformanceReport): Record<string, unknown> {
  return {
    summary: true,
    device: report.device,
    passed: report.passed,
    failed: report.failed,
    skipped: report.skipped,
    blocked: report.blocked,
    inconclusive: report.inconclusive,
    hostJitterUs: report.hostJitter,
    ok: report.ok,
    interrupted: report.interrupted,
    ...(report.identity === undefined ? {} : { identity: report.identity }),
  };
}
