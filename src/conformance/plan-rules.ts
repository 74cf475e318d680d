import { ICD_RULES, type IcdRule } from '../protocol/index.js';
import { RULE_CHECKS } from './checks/index.js';
import { ConformanceError } from './conformance-error.js';
import type { DeviceKind, RuleCheck } from './rule-check.js';

/** One line of a run: a rule and the kit's check of it for the device, if it has one. */
export interface PlannedRule {
  readonly rule: IcdRule;
  readonly check?: RuleCheck;
}

/** The rule that must run first: it needs a device no one has sent HELLO to. */
const FIRST_RULE = 'ICD-CMN-001';
/** The rule that must run last: it empties a launcher of its rounds. */
const LAST_RULE = 'ICD-LNCH-014';

/**
 * The rules a run reports for `device`: every rule with `checkedByConformance` that binds a
 * frame, any device or this kind of device (host rules bind the host: not listed; a rule whose check
 * is `onRequestOnly` only when requested) — in ICD order with
 * ICD-CMN-001 first and ICD-LNCH-014 last. With `requested`, only those; throws ConformanceError for an id that does
 * not exist ('unknown-rule') or is not checked against this device ('rule-not-applicable').
 */
export function planRules(device: DeviceKind, requested?: readonly string[]): PlannedRule[] {
  const kinds: readonly IcdRule['appliesTo'][] = ['frame', 'device', device];
  const applicable = ICD_RULES.filter((r) => r.checkedByConformance && kinds.includes(r.appliesTo));
  // Rules whose check needs a state the bench must set up (a launcher in FAULT) run only on request.
  const onRequest = (r: IcdRule): boolean =>
    RULE_CHECKS.some((c) => c.ruleId === r.id && c.devices.includes(device) && c.onRequestOnly === true);
  let chosen = applicable.filter((r) => !onRequest(r));
  if (requested !== undefined && requested.length > 0) {
    for (const id of requested) {
      const rule = ICD_RULES.find((r) => r.id === id.toUpperCase());
      if (rule === undefined)
        throw new ConformanceError('unknown-rule', `unknown rule ${id} (rule ids look like ICD-LNCH-006)`);
      if (!rule.checkedByConformance) {
        throw new ConformanceError(
          'rule-not-applicable',
          `${rule.id} is not checkable over a link (the ICD marks it so)`,
        );
      }
      if (!kinds.includes(rule.appliesTo)) {
        throw new ConformanceError(
          'rule-not-applicable',
          `${rule.id} applies to ${rule.appliesTo}s, not to a ${device}`,
        );
      }
    }
    const wanted = new Set(requested.map((id) => id.toUpperCase()));
    chosen = applicable.filter((r) => wanted.has(r.id));
  }
  const middle = chosen.filter((r) => r.id !== FIRST_RULE && r.id !== LAST_RULE);
  const ordered = [
    ...chosen.filter((r) => r.id === FIRST_RULE),
    ...middle,
    ...chosen.filter((r) => r.id === LAST_RULE),
  ];
  const planned: PlannedRule[] = ordered.map((rule) => {
    const check = RULE_CHECKS.find((c) => c.ruleId === rule.id && c.devices.includes(device));
    return check === undefined ? { rule } : { rule, check };
  });
  return afterDependencies(planned);
}

/**
 * Stable order in which every check runs after the checks of the rules it depends on (so a
 * broken dependency is known before and the check is reported blocked, not failed). Dependencies
 * on rules not in the plan are ignored; a cycle keeps the given order.
 */
function afterDependencies(planned: readonly PlannedRule[]): PlannedRule[] {
  const ids = new Set(planned.map((p) => p.rule.id));
  const done = new Set<string>();
  const out: PlannedRule[] = [];
  const pending = [...planned];
  while (pending.length > 0) {
    const index = pending.findIndex((p) =>
      (p.check?.dependsOn ?? []).every((id) => !ids.has(id) || done.has(id) || id === p.rule.id),
    );
    const [next] = pending.splice(index < 0 ? 0 : index, 1);
    done.add(next!.rule.id);
    out.push(next!);
  }
  return out;
}
