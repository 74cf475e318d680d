import type { RuleResult } from './conformance-report.js';
import type { FrameFaultKind } from './inspect-frame.js';
import type { ProbeLink } from './probe-link.js';

/** The frame rule each kind of invalid device output breaks. */
export const FAULT_RULE: Readonly<Record<FrameFaultKind, string>> = {
  'overlong-run': 'ICD-FRM-002',
  cobs: 'ICD-FRM-001',
  'body-size': 'ICD-FRM-004',
  crc: 'ICD-FRM-005',
  version: 'ICD-FRM-003',
  'reserved-flags': 'ICD-FRM-007',
  'ack-flag': 'ICD-FRM-007',
  'unknown-type': 'ICD-FRM-011',
  'wrong-direction': 'ICD-FRM-011',
  'payload-size': 'ICD-FRM-008',
  field: 'ICD-FRM-008',
};

/**
 * After the last check: the device's own output over the whole run, judged against the frame
 * rules. An invalid frame is a violation of the rule it breaks (a bad CRC fails ICD-FRM-005)
 * wherever in the run it came — not of the check that happened to be running, which went on as
 * a host would (a lost answer retransmitted, a lost status waited for). Returns the results to
 * replace: rules that passed their own check but whose output rule the device broke later.
 */
export function auditDeviceOutput(probe: ProbeLink, results: readonly RuleResult[]): RuleResult[] {
  const problems = new Map<string, string[]>();
  const add = (ruleId: string, text: string): void => {
    problems.set(ruleId, [...(problems.get(ruleId) ?? []), text]);
  };
  for (const [kind, seen] of probe.outputFaults) {
    add(FAULT_RULE[kind], `${seen.count} invalid frame${seen.count === 1 ? '' : 's'} (${kind}; first: ${seen.first})`);
  }
  if (probe.nonCanonical > 0) add('ICD-FRM-001', `${probe.nonCanonical} frame(s) not in canonical COBS form`);
  if (probe.seqBreaks > 0)
    add('ICD-FRM-009', `${probe.seqBreaks} break(s) of its numbering (first: ${probe.firstSeqBreak})`);
  const corrected: RuleResult[] = [];
  for (const [ruleId, texts] of problems) {
    const result = results.find((r) => r.ruleId === ruleId);
    if (result === undefined || result.status === 'fail') continue;
    corrected.push({
      ...result,
      status: 'fail',
      detail: `the device sent, over the whole run, ${texts.join('; ')}`,
    });
  }
  return corrected;
}
