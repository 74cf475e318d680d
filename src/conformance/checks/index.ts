import type { RuleCheck } from '../rule-check.js';
import {
  cmn005Check,
  cmn006LauncherCheck,
  cmn006RadarCheck,
  cmn008LauncherCheck,
  cmn008RadarCheck,
} from './command-checks.js';
import { frm001Check, frm002Check } from './frame-encoding-checks.js';
import { frm008Check, frm009Check, frm010Check, frm011Check } from './frame-content-checks.js';
import { frm003Check, frm004Check, frm005Check, frm007Check } from './frame-header-checks.js';
import {
  lnch005Check,
  lnch006Check,
  lnch007Check,
  lnch008Check,
  lnch009Check,
  lnch010Check,
} from './launcher-fire-checks.js';
import { lnch011Check } from './launcher-slew-check.js';
import { lnch012Check } from './launcher-fault-check.js';
import { lnch001Check, lnch002Check, lnch003Check, lnch004Check } from './launcher-state-checks.js';
import { rdr001Check, rdr002Check, rdr003Check, rdr005Check } from './radar-checks.js';
import { cmn009Check, cmn010Check, cmn011Check } from './command-gate-checks.js';
import { lnch013Check, lnch014Check, lnch015Check } from './launcher-round-checks.js';
import { cmn001Check, cmn002Check, cmn003Check, cmn004Check } from './session-checks.js';
import { cmn007Check } from './time-sync-check.js';
import { frm006LauncherCheck, frm006RadarCheck } from './byte-order-checks.js';
import { rdr004Check } from './radar-track-id-check.js';

/**
 * Every check of the kit: ICD-CMN-001 runs first (it needs a device no one has sent HELLO to),
 * ICD-LNCH-014 last (it launches every round left), the others in the ICD's order. One entry
 * per rule and device kind.
 */
export const RULE_CHECKS: readonly RuleCheck[] = [
  cmn001Check,
  frm001Check,
  frm002Check,
  frm003Check,
  frm004Check,
  frm005Check,
  frm006RadarCheck,
  frm006LauncherCheck,
  frm007Check,
  frm008Check,
  frm009Check,
  frm010Check,
  frm011Check,
  cmn002Check,
  cmn003Check,
  cmn004Check,
  cmn005Check,
  cmn006RadarCheck,
  cmn006LauncherCheck,
  cmn007Check,
  cmn008RadarCheck,
  cmn008LauncherCheck,
  cmn009Check,
  cmn010Check,
  cmn011Check,
  rdr001Check,
  rdr002Check,
  rdr003Check,
  rdr004Check,
  rdr005Check,
  lnch001Check,
  lnch002Check,
  lnch003Check,
  lnch004Check,
  lnch005Check,
  lnch006Check,
  lnch007Check,
  lnch008Check,
  lnch009Check,
  lnch010Check,
  lnch011Check,
  lnch012Check,
  lnch013Check,
  lnch015Check,
  lnch014Check,
];
