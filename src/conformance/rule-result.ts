import type { IcdRule } from '../protocol/index.js';
import type { RuleResult, RuleStatus } from './conformance-report.js';
import type { PlannedRule } from './plan-rules.js';

/** One result line of a planned rule: the check's title, or the first sentence of the rule. */
export function result(
  planned: PlannedRule,
  status: RuleStatus,
  detail: string | undefined,
  durationUs: number,
): RuleResult {
  return {
    ruleId: planned.rule.id,
    status,
    title: planned.check?.title ?? shortRuleText(planned.rule),
    ...(detail === undefined ? {} : { detail }),
    durationUs,
  };
}

/** What a dependency is used for, in a blocked result. */
export function dependencyUse(ruleId: string): string {
  const uses: Record<string, string> = {
    'ICD-CMN-001': 'HELLO → IDENT, the start of every check',
    'ICD-CMN-005': 'every command the check sends must be answered',
    'ICD-LNCH-003': 'SAFE, the known state every launcher check starts from',
    'ICD-LNCH-002': 'the check arms the launcher',
    'ICD-LNCH-010': 'the check cancels a pending FIRE with ABORT',
    'ICD-RDR-002': 'the check changes the radar mode',
    'ICD-CMN-007': 'the check estimates the device clock by TIME_SYNC',
    'ICD-LNCH-001': 'the check reads LAUNCHER_STATUS',
    'ICD-RDR-001': 'the check reads RADAR_STATUS',
  };
  return uses[ruleId] ?? 'the check uses it to reach its starting state';
}

/** The first sentence of a rule's text, for rules the kit has no title of its own for. */
function shortRuleText(rule: IcdRule): string {
  const sentence = rule.text.split(/(?<=\.)\s/)[0] ?? rule.text;
  return sentence.replace(/\.$/, '');
}
