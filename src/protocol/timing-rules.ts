/**
 * Timing constants of the ICD (docs/protocol.md). Both the host drivers and the simulated
 * firmware read them from here, and the conformance kit checks devices against them.
 */

/** Both sides send HEARTBEAT this often from power-on (ICD-CMN-003). */
export const HEARTBEAT_PERIOD_US = 50_000;
/** A launcher with no valid host HEARTBEAT for this long goes SAFE, latching (ICD-LNCH-004). */
export const LAUNCHER_WATCHDOG_US = 250_000;
/** ARM needs a host HEARTBEAT received within this window (ICD-LNCH-002). */
export const ARM_HEARTBEAT_FRESH_US = LAUNCHER_WATCHDOG_US;
/** Host repeats HELLO this often until IDENT arrives (ICD-CMN-001). */
export const HELLO_RETRY_US = 200_000;
/** A device answers an acknowledged frame with ACK or NAK within this time (ICD-CMN-005). */
export const ACK_DEADLINE_US = 20_000;
/** A device answers TIME_SYNC_REQUEST within this time (ICD-CMN-007). */
export const TIME_SYNC_RESPONSE_DEADLINE_US = 5_000;
/** Nominal period of RADAR_STATUS and LAUNCHER_STATUS; consecutive ones may be up to STATUS_MAX_GAP_US apart (ICD-RDR-001, ICD-LNCH-001). */
export const STATUS_PERIOD_US = 100_000;
/** FIRE with executeAtUs earlier than the launcher's time at reception is refused `late` (ICD-LNCH-006). */
export const FIRE_LATE_TOLERANCE_US = 0;
/** FIRE with executeAtUs further ahead than this is refused `too-far-ahead` (ICD-LNCH-007). */
export const FIRE_MAX_LEAD_US = 30_000_000;
/** Default time from ARM accepted to state ARMED (a device may take less; ICD-LNCH-002). */
export const DEFAULT_ARMING_DURATION_US = 500_000;
/** A launcher remembers at least this many executed FIRE command ids (ICD-LNCH-008). */
export const FIRE_ID_MEMORY = 1024;
/** Heartbeat period tolerance, either way (ICD-CMN-003). */
export const HEARTBEAT_TOLERANCE_US = 10_000;
/** At most this much device time between two consecutive STATUS messages (ICD-RDR-001, ICD-LNCH-001). */
export const STATUS_MAX_GAP_US = 105_000;
/** A status showing a change is sent within this time of the change (ICD-RDR-001, ICD-LNCH-001). */
export const STATUS_ON_CHANGE_US = 20_000;
/** ARMING lasts at most this long (ICD-LNCH-002). */
export const ARMING_MAX_US = 3_000_000;
/** An accepted FIRE launches within this of executeAtUs, in the launcher clock, either way (ICD-LNCH-009). */
export const LAUNCH_TOLERANCE_US = 1_000;
/** FIRING (executeAtUs until the interceptor has left the rail) lasts at most this long (ICD-LNCH-009). */
export const FIRING_MAX_US = 2_000_000;
/** FIRE_REPORT is sent within this time of the event it reports (ICD-LNCH-015). */
export const FIRE_REPORT_DEADLINE_US = 20_000;
/** An unanswered FIRE_REPORT is sent again at most this long after its previous transmission (ICD-LNCH-015). */
export const FIRE_REPORT_REPEAT_MAX_US = 200_000;
/** An unanswered FIRE_REPORT is repeated for at least this long (ICD-LNCH-015). */
export const FIRE_REPORT_REPEAT_FOR_US = 600_000_000;
/** A device recognises repeats of at least this many of the commands it executed last (ICD-CMN-008). */
export const COMMAND_REPEAT_MEMORY = 64;
