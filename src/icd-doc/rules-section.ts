import { ICD_RULES } from '../protocol/icd-rules.js';

/** A table cell: pipes escaped, one line. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The "Normative rules" section: every rule, who it binds, whether the kit checks it, and how the hard ones are judged over a link. */
export function rules(): string {
  const rows = ICD_RULES.map(
    (r) => `| ${r.id} | ${r.appliesTo} | ${r.checkedByConformance ? 'yes' : 'no'} | ${cell(r.text)} |`,
  );
  return `
## Normative rules

Every requirement of this document, with the id the conformance kit reports. *Binds* says who
must comply; *checked* says whether \`shieldlink conformance\` checks it against a device over a
link. Ids are never reused.

| id | binds | checked | rule |
|---|---|---|---|
${rows.join('\n')}

Rules that look unobservable over a link, and how the kit judges them:

- **ICD-FRM-006** (byte order, IEEE-754, SI units): the fields whose value the kit knows or can
  bound must read back as sent, little-endian — a launcher's pointing after a SLEW to a target
  exact in f32 (in range throughout; a mount too slow to get there in 10 s must be seen moving
  toward it), a radar's \`scanPeriodUs\` within 1 ms … 60 s and \`maxRangeM\` within 1 m …
  10,000 km. A failure gives the big-endian reading. Device times and heartbeat counts are judged
  by ICD-CMN-004 and ICD-CMN-003.
- **ICD-RDR-004** (track ids): search, standby, search again — no dropped track id is reported
  again, no track is dropped twice. The clause on targets destroyed by an interceptor needs an
  interceptor in flight, which no command of this ICD causes: the kit does not judge it (the
  simulator's own tests do).
- **ICD-LNCH-012** (FAULT): no command of this ICD causes a fault (a failed self-test or a
  misfire does), so a full run does not list it; \`--rule ICD-LNCH-012\` judges it against a
  launcher the bench has put in FAULT (ARM, SLEW and FIRE refused \`bad-state\`, SLEW out of
  range \`bad-field\`, SAFE acknowledged and leaving FAULT or — the fault having cleared — SAFE),
  and skips it, saying why, when the launcher is not in FAULT.

The kit's own timing: it measures during each check how late its own timers run and how long its
host heartbeat lapses. A check during which its timers ran later than the tightest limit the
check judges (at most 100 ms), or its heartbeat lapsed more than 3 periods (150 ms: the device
may rightly treat the host as silent), is reported **INCONCLUSIVE** with those figures and the
verdict it would have given — neither a pass nor a failure. Limits judged from arrival times are
widened only by the scheduling error measured in the same check. \`shieldlink conformance\` exits
1 when a rule failed, else 3 when a rule was inconclusive, else 0.`;
}
