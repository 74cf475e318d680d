/**
 * Prose of the ICD that is not in the catalogue: what each NAK reason, timing constant and frame
 * error code means. Each table is a Record over its keys, so a new NAK reason, timing constant
 * or error code cannot be added without its explanation (the type check fails).
 */
import {
  CRC_BYTES,
  type FrameErrorCode,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  PROTOCOL_VERSION,
} from '../framing/index.js';
import type { NAK_REASONS } from '../protocol/catalogue/index.js';
import type * as TIMING from '../protocol/timing-rules.js';

export const NAK_REASON_MEANINGS: Readonly<Record<(typeof NAK_REASONS)[number], string>> = {
  unspecified: 'None of the other reasons. Senders should avoid it: the host cannot act on it.',
  'bad-state': 'The command is not allowed in the current state (see the launcher command table).',
  late: 'FIRE whose executeAtUs is already past when the FIRE is received (ICD-LNCH-006).',
  'too-far-ahead': 'FIRE whose executeAtUs is more than 30 s after reception (ICD-LNCH-007).',
  'no-rounds': 'FIRE while ARMED with no round ready (ICD-LNCH-014).',
  'duplicate-command': 'A command other than SAFE, not a repeat, carries the id of an executed FIRE (ICD-LNCH-008).',
  'no-heartbeat': 'ARM without a host HEARTBEAT received within the last 250 ms (ICD-LNCH-002).',
  unsupported: 'A message of the other device kind, e.g. ARM sent to a radar (ICD-CMN-010).',
  'bad-field': 'A field outside its allowed range: SLEW angles (ICD-LNCH-011), commandId 0 (ICD-CMN-008).',
  busy: 'The device cannot take the command now: a FIRE is pending or a launch is in progress (ICD-LNCH-005).',
  'watchdog-latched': 'FIRE while the watchdog trip is latched; an accepted ARM clears it (ICD-LNCH-005).',
  'not-handshaken': 'A command received before the first HELLO (ICD-CMN-001).',
  'schema-mismatch': 'A command after a HELLO that carried a different schema hash (ICD-CMN-009).',
  'out-of-envelope': 'FIRE whose aim point is below the ground or beyond the launcher reach (ICD-LNCH-013).',
};

export const TIMING_MEANINGS: Readonly<Record<keyof typeof TIMING, { meaning: string; rules: string }>> = {
  HEARTBEAT_PERIOD_US: { meaning: 'HEARTBEAT period of both sides, from power-on (±10 ms).', rules: 'ICD-CMN-003' },
  LAUNCHER_WATCHDOG_US: {
    meaning: 'Without a valid host HEARTBEAT for this long the launcher goes SAFE, latched.',
    rules: 'ICD-LNCH-004',
  },
  ARM_HEARTBEAT_FRESH_US: {
    meaning: 'ARM is accepted only with a host HEARTBEAT received within this window.',
    rules: 'ICD-LNCH-002',
  },
  HELLO_RETRY_US: { meaning: 'The host repeats HELLO this often until IDENT arrives.', rules: 'ICD-CMN-001' },
  ACK_DEADLINE_US: {
    meaning: 'ACK or NAK is sent within this time of receiving an acknowledged frame.',
    rules: 'ICD-CMN-005',
  },
  TIME_SYNC_RESPONSE_DEADLINE_US: {
    meaning: 'TIME_SYNC_RESPONSE is sent within this time of the request.',
    rules: 'ICD-CMN-007',
  },
  STATUS_PERIOD_US: {
    meaning:
      'Nominal period of RADAR_STATUS and LAUNCHER_STATUS; two consecutive ones may be up to 105 ms apart (`STATUS_MAX_GAP_US`).',
    rules: 'ICD-RDR-001, ICD-LNCH-001',
  },
  FIRE_LATE_TOLERANCE_US: {
    meaning: 'FIRE is late when executeAtUs < launcher time at reception − this.',
    rules: 'ICD-LNCH-006',
  },
  FIRE_MAX_LEAD_US: {
    meaning: 'FIRE is too far ahead when executeAtUs > launcher time at reception + this.',
    rules: 'ICD-LNCH-007',
  },
  DEFAULT_ARMING_DURATION_US: {
    meaning: 'Time from ARM accepted to ARMED of the simulated launcher (informative; a device may take less).',
    rules: 'ICD-LNCH-002',
  },
  FIRE_ID_MEMORY: {
    meaning: 'Executed FIRE command ids a launcher remembers, at least (a count, not a time).',
    rules: 'ICD-LNCH-008',
  },
  HEARTBEAT_TOLERANCE_US: {
    meaning: 'A heartbeat interval may differ from 50 ms by this much, either way.',
    rules: 'ICD-CMN-003',
  },
  STATUS_MAX_GAP_US: {
    meaning: 'Longest interval between two consecutive RADAR_STATUS or LAUNCHER_STATUS, in the device clock.',
    rules: 'ICD-RDR-001, ICD-LNCH-001',
  },
  STATUS_ON_CHANGE_US: {
    meaning:
      'A status showing a change (radar mode or health; launcher state, watchdog, roundsReady, pendingFireCommandId) follows the change within this time.',
    rules: 'ICD-RDR-001, ICD-LNCH-001',
  },
  ARMING_MAX_US: { meaning: 'ARMING lasts at most this long.', rules: 'ICD-LNCH-002' },
  LAUNCH_TOLERANCE_US: {
    meaning: 'An accepted FIRE launches within this of executeAtUs in the launcher clock, early or late.',
    rules: 'ICD-LNCH-009',
  },
  FIRING_MAX_US: {
    meaning: 'FIRING (from executeAtUs until the interceptor has left the rail) lasts at most this long.',
    rules: 'ICD-LNCH-009',
  },
  FIRE_REPORT_DEADLINE_US: {
    meaning:
      'FIRE_REPORT is sent within this time of the event it reports (end of FIRING, ABORT, SAFE, watchdog, fault).',
    rules: 'ICD-LNCH-015',
  },
  FIRE_REPORT_REPEAT_MAX_US: {
    meaning:
      'An unanswered FIRE_REPORT is sent again at most this long after its previous transmission (the simulator: 100 ms).',
    rules: 'ICD-LNCH-015',
  },
  FIRE_REPORT_REPEAT_FOR_US: {
    meaning: 'An unanswered FIRE_REPORT is repeated for at least this long.',
    rules: 'ICD-LNCH-015',
  },
  COMMAND_REPEAT_MEMORY: {
    meaning: 'A device recognises repeats of at least this many of the commands it executed last (a count).',
    rules: 'ICD-CMN-008',
  },
};

export const ERROR_CODE_MEANINGS: Readonly<Record<FrameErrorCode, string>> = {
  cobs: 'The block is not valid COBS: a code byte points past its end, or it holds a 0x00.',
  length: `The body is shorter than ${HEADER_BYTES + CRC_BYTES} or longer than ${MAX_BODY_BYTES} bytes, the payload size is not that of its type, or a run of more than ${MAX_ENCODED_FRAME_BYTES} bytes came without a delimiter, or a partial frame was pending at end of stream.`,
  crc: 'The CRC does not match the body.',
  version: `The version byte is not ${PROTOCOL_VERSION}.`,
  'unknown-type': 'No message has that type code, or the message is never sent in this direction.',
  field:
    'A reserved flag bit is set, the ACK-requested flag does not match the type, an enum field holds an undefined code, a u64 exceeds 2^53−1, or a float is NaN or infinite.',
};
