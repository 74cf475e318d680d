/**
 * The conformance kit: judges a radar or launcher controller — the simulator or a real
 * board — against every normative rule of the ICD that can be checked over a link, by rule id,
 * with its own raw frame I/O (never the host drivers).
 */
export {
  runConformance,
  type ConformanceOptions,
  DEFAULT_AIM_POINT,
  DEFAULT_FIRE_TOLERANCE_US,
} from './run-conformance.js';
export type { ConformanceReport, RuleResult, RuleStatus, DeviceIdentity } from './conformance-report.js';
export { ConformanceError, type ConformanceErrorCode } from './conformance-error.js';
export { CheckFailure, CheckSkip, CheckAborted } from './check-outcome.js';
export type { AimPoint } from './check-context.js';
export type { DeviceKind, RuleCheck } from './rule-check.js';
export { RULE_CHECKS } from './checks/index.js';
export { planRules, type PlannedRule } from './plan-rules.js';
export { formatResultLine, formatSummaryLine, resultJson, summaryJson } from './format-report.js';
