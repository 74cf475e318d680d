/**
 * Every normative rule of the ICD, with an id the conformance kit reports (docs/decisions/0001-catalogue-as-data.md).
 * docs/protocol.md is generated from this table and the catalogue; keep the text normative
 * ("shall"), short, and checkable.
 */
export interface IcdRule {
  /** Stable id, e.g. `ICD-LNCH-007`. Never reuse a retired id. */
  readonly id: string;
  /** Who the rule binds. */
  readonly appliesTo: 'frame' | 'radar' | 'launcher' | 'device' | 'host';
  readonly text: string;
  /** Whether `shieldlink conformance` checks it against a device over a link. */
  readonly checkedByConformance: boolean;
}

export const ICD_RULES: readonly IcdRule[] = [
  {
    id: 'ICD-FRM-001',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'A frame on the wire shall be COBS(body) followed by one 0x00; the COBS block shall contain no 0x00. A sender shall not follow a full group (code 0xFF) that ends the body with an empty 0x01 group; a receiver shall accept both forms.',
  },
  {
    id: 'ICD-FRM-002',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'A receiver shall discard a run of more than 259 bytes without a delimiter (the COBS block of the largest body is at most 258 bytes), count it, and resynchronise at the next 0x00. It shall discard a partial frame at end of stream. Empty blocks (consecutive 0x00) are idle fill and shall be ignored.',
  },
  {
    id: 'ICD-FRM-003',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'body = version u8 | type u8 | seq u16 | flags u8 | payload | crc u16; version shall be 1; a receiver shall reject any other version.',
  },
  {
    id: 'ICD-FRM-004',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'A body shall be at least 7 and at most 256 bytes; a receiver shall reject bodies outside that range.',
  },
  {
    id: 'ICD-FRM-005',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'crc shall be CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0) over every body byte before it, sent little-endian; a receiver shall reject a frame whose crc does not match.',
  },
  {
    id: 'ICD-FRM-006',
    appliesTo: 'frame',
    checkedByConformance: false,
    text: 'All integers and floats shall be little-endian; floats are IEEE-754; physical quantities are SI with the unit in the field name.',
  },
  {
    id: 'ICD-FRM-007',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'flags bit 0 = ACK requested, bit 1 = retransmission; other bits are reserved, shall be sent 0, and a receiver shall reject a frame with a reserved bit set.',
  },
  {
    id: 'ICD-FRM-008',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'Each payload shall have exactly the size of its type; enum fields shall hold a defined code; u64 fields shall not exceed 2^53-1; float fields shall be finite (not NaN, not infinite). A receiver shall reject a frame that breaks any of these.',
  },
  {
    id: 'ICD-FRM-009',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'Each sender shall number its frames per link and direction: seq increases by 1 per new frame and wraps 65535 → 0; a retransmission repeats the seq of the original with the retransmission flag set. Receivers count gaps and duplicates.',
  },
  {
    id: 'ICD-FRM-010',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'A frame that fails any check shall be discarded silently (no NAK: its seq and type cannot be trusted) and counted; it shall never change device state.',
  },
  {
    id: 'ICD-FRM-011',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'A receiver shall discard a message type that is unknown or not sent in its direction.',
  },
  {
    id: 'ICD-CMN-001',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'A device shall answer every HELLO with IDENT, and shall answer commands received before its first HELLO with NAK not-handshaken, except SAFE, which a launcher always accepts (ICD-LNCH-003).',
  },
  {
    id: 'ICD-CMN-002',
    appliesTo: 'host',
    checkedByConformance: true,
    text: 'IDENT shall carry the device schema hash; when it differs from the host one, the host shall send no command to that device (fail closed) and report the mismatch.',
  },
  {
    id: 'ICD-CMN-003',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'Both sides shall send HEARTBEAT every 50 ms (±10 ms) from power-on, whether or not anyone listens; heartbeatCount increases by 1 per heartbeat.',
  },
  {
    id: 'ICD-CMN-004',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'Device times shall be microseconds of the device monotonic clock, u64, starting near 0 at power-on, never decreasing; they do not wrap within 2^53 us.',
  },
  {
    id: 'ICD-CMN-005',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'A receiver of a frame with the ACK-requested flag shall answer ACK or NAK within 20 ms, echoing its seq, type and command id. A sender retransmits an unanswered frame (same seq, retransmission flag) up to its retry limit.',
  },
  {
    id: 'ICD-CMN-006',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'NAK shall carry a reason code from the table; a refused command shall have no effect.',
  },
  {
    id: 'ICD-CMN-007',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'A device shall answer TIME_SYNC_REQUEST within 5 ms with TIME_SYNC_RESPONSE echoing t1, with t2 = device time at the end of reception of the request and t3 = device time at the start of transmission of the response, t2 <= t3.',
  },
  {
    id: 'ICD-CMN-008',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'Command ids shall be non-zero. A device shall execute a command id at most once: a retransmission of an executed command shall be answered with ACK again and have no further effect; a different command reusing an executed FIRE id shall be refused with NAK duplicate-command.',
  },
  {
    id: 'ICD-RDR-001',
    appliesTo: 'radar',
    checkedByConformance: true,
    text: 'The radar shall send RADAR_STATUS at least every 100 ms and on every mode change.',
  },
  {
    id: 'ICD-RDR-002',
    appliesTo: 'radar',
    checkedByConformance: true,
    text: 'RADAR_SET_MODE shall be acknowledged and the new mode shall show in the next RADAR_STATUS.',
  },
  {
    id: 'ICD-RDR-003',
    appliesTo: 'radar',
    checkedByConformance: false,
    text: 'TRACK_REPORT shall be sent only in search mode; measurementTimeUs shall be the device time of the measurement, not of transmission.',
  },
  {
    id: 'ICD-RDR-004',
    appliesTo: 'radar',
    checkedByConformance: false,
    text: 'A track id shall never be reused while the radar runs; a dropped track shall get exactly one TRACK_DROP; a target destroyed by an interceptor shall be dropped with reason destroyed.',
  },
  {
    id: 'ICD-RDR-005',
    appliesTo: 'radar',
    checkedByConformance: true,
    text: 'Leaving search mode shall drop every track with TRACK_DROP mode-change.',
  },
  {
    id: 'ICD-LNCH-001',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'The launcher shall power on SAFE, and send LAUNCHER_STATUS at least every 100 ms and on every state change.',
  },
  {
    id: 'ICD-LNCH-002',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'ARM shall be accepted only with a host HEARTBEAT received within the last 250 ms; SAFE → ARMING → ARMED. ARM while ARMING or ARMED is acknowledged with no effect.',
  },
  {
    id: 'ICD-LNCH-003',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'SAFE shall always be accepted, take effect at once from any state, and cancel any pending FIRE (FIRE_REPORT aborted).',
  },
  {
    id: 'ICD-LNCH-004',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'With no valid host HEARTBEAT for 250 ms the launcher shall go SAFE with watchdog tripped, cancel any pending FIRE, and stay SAFE (latched) until an accepted ARM.',
  },
  {
    id: 'ICD-LNCH-005',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'FIRE shall be refused unless ARMED (NAK bad-state, or watchdog-latched when the watchdog tripped) and unless a round is ready (NAK no-rounds). Only one FIRE may be pending at a time (NAK busy).',
  },
  {
    id: 'ICD-LNCH-006',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'FIRE whose executeAtUs is earlier than the launcher time at reception shall be refused with NAK late.',
  },
  {
    id: 'ICD-LNCH-007',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'FIRE whose executeAtUs is more than 30 s after the launcher time at reception shall be refused with NAK too-far-ahead.',
  },
  {
    id: 'ICD-LNCH-008',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'A FIRE command id shall execute at most once, remembered for at least the last 1024 FIRE ids.',
  },
  {
    id: 'ICD-LNCH-009',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'An accepted FIRE shall launch at executeAtUs in the launcher clock, and FIRE_REPORT shall give the actual launch time; FIRE_REPORT is acknowledged by the host and repeated until acknowledged.',
  },
  {
    id: 'ICD-LNCH-010',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'ABORT shall cancel the pending FIRE it names before launch (FIRE_REPORT aborted) and leave the launcher ARMED; ABORT of a FIRE that is not pending is refused with NAK bad-state.',
  },
  {
    id: 'ICD-LNCH-011',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'SLEW shall be refused with NAK bad-field when azimuth is outside [0, 360) or elevation outside [0, 90].',
  },
  {
    id: 'ICD-LNCH-012',
    appliesTo: 'launcher',
    checkedByConformance: false,
    text: 'On a fault it detects (failed self-test, misfire) the launcher shall go FAULT, cancel any pending FIRE (FIRE_REPORT aborted) and refuse every command but SAFE with NAK bad-state. SAFE shall be acknowledged in FAULT and move the launcher to SAFE once the fault has cleared.',
  },
  {
    id: 'ICD-HOST-001',
    appliesTo: 'host',
    checkedByConformance: false,
    text: 'The host shall send no command to a device whose link is lost (silent for 3 heartbeat periods) and shall drop every pending command on link loss.',
  },
];

/** Look up a rule; throws for an unknown id (a programming error). */
export function icdRule(id: string): IcdRule {
  const rule = ICD_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`unknown ICD rule ${id}`);
  return rule;
}
