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
    checkedByConformance: true,
    text: 'All integers and floats shall be little-endian; floats are IEEE-754; physical quantities are SI with the unit in the field name.',
  },
  {
    id: 'ICD-FRM-007',
    appliesTo: 'frame',
    checkedByConformance: true,
    text: 'flags bit 0 = ACK requested, bit 1 = retransmission; other bits are reserved, shall be sent 0, and a receiver shall reject a frame with a reserved bit set. The ACK-requested flag shall be set on every frame of an acknowledged type and on no other; a receiver shall discard a frame whose ACK-requested flag does not match its type (error field), unanswered and without effect.',
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
    text: 'Each sender shall number its frames per link and direction: seq increases by 1 per new frame and wraps 65535 → 0; a retransmission repeats the seq of the original with the retransmission flag set and does not consume a number. Receivers count gaps and duplicates.',
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
    text: 'A device shall answer every HELLO with IDENT (within 250 ms, whatever the schema hash it carries), and shall answer commands received before its first HELLO with NAK not-handshaken, except SAFE, which a launcher always accepts (ICD-LNCH-003).',
  },
  {
    id: 'ICD-CMN-002',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'IDENT shall carry the schema hash of the catalogue the device implements, computed as in the Schema hash section: a device of this document carries the hash given in its header. A device built from another catalogue does not conform to this document; the host sends it no command (ICD-HOST-003).',
  },
  {
    id: 'ICD-CMN-003',
    appliesTo: 'device',
    checkedByConformance: true,
    text: "Both sides shall send HEARTBEAT every 50 ms ±10 ms (in the sender's clock) from power-on, whether or not anyone listens; heartbeatCount is 0 in the first heartbeat after power-on, increases by 1 per heartbeat and wraps at 2^32.",
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
    text: 'A receiver of a frame with the ACK-requested flag shall answer ACK or NAK within 20 ms of its reception, echoing its seq, its type and its command id (for FIRE_REPORT: its fireCommandId). A sender retransmits an unanswered frame (same seq, same payload, retransmission flag) after its retry interval, up to its retry limit.',
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
    text: 'Command ids shall be non-zero: a command with commandId 0 shall be refused with NAK bad-field (SAFE excepted, ICD-LNCH-003). A device shall recognise a repeat of a command it executed (same type, seq and commandId, with or without the retransmission flag) among at least the last 64 commands it executed, answer it ACK again and not execute it again; a repeat of a command it refused shall be evaluated again as new.',
  },
  {
    id: 'ICD-CMN-009',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'A device shall answer a HELLO whose schema hash differs from its own with IDENT carrying its own hash, and from then until a HELLO with its own hash shall refuse every command with NAK schema-mismatch (SAFE to a launcher excepted, ICD-LNCH-003).',
  },
  {
    id: 'ICD-CMN-010',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'A device shall refuse an acknowledged message of the other device kind (ARM, SAFE, SLEW, FIRE or ABORT to a radar; RADAR_SET_MODE to a launcher) with NAK unsupported, without effect.',
  },
  {
    id: 'ICD-CMN-011',
    appliesTo: 'device',
    checkedByConformance: true,
    text: 'A device shall judge a command in this order and answer with the first that applies: SAFE to a launcher → ACK; not handshaken → not-handshaken; foreign schema hash → schema-mismatch; a repeat of an executed command → ACK again; commandId 0 → bad-field; the id of an executed FIRE → duplicate-command; a message of the other device kind → unsupported; a field out of range → bad-field; then the state checks of the command.',
  },
  {
    id: 'ICD-RDR-001',
    appliesTo: 'radar',
    checkedByConformance: true,
    text: 'The radar shall send RADAR_STATUS every 100 ms, never more than 105 ms apart in its own clock, and within 20 ms of every change of mode or health.',
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
    checkedByConformance: true,
    text: 'TRACK_REPORT shall be sent only in search mode; measurementTimeUs shall be the device time of the measurement, not of transmission, and never later than the device time of the next status.',
  },
  {
    id: 'ICD-RDR-004',
    appliesTo: 'radar',
    checkedByConformance: true,
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
    text: 'The launcher shall power on SAFE, and send LAUNCHER_STATUS every 100 ms, never more than 105 ms apart in its own clock, and within 20 ms of every change of state, watchdog, roundsReady or pendingFireCommandId.',
  },
  {
    id: 'ICD-LNCH-002',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'ARM shall be accepted only with a host HEARTBEAT received within the last 250 ms (else NAK no-heartbeat); SAFE → ARMING → ARMED, ARMING lasting at most 3 s. ARM while ARMING or ARMED is acknowledged with no effect.',
  },
  {
    id: 'ICD-LNCH-003',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'SAFE shall always be acknowledged: in any state, before HELLO, after a HELLO with a foreign schema hash, with commandId 0, and with a command id used before (by SAFE or any other command, an executed FIRE included). It shall take effect at once (status within 20 ms) and cancel any pending FIRE or launch in progress (FIRE_REPORT aborted).',
  },
  {
    id: 'ICD-LNCH-004',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'With no valid host HEARTBEAT for 250 ms (counted from power-on, and from each valid host HEARTBEAT) the launcher shall go SAFE with watchdog tripped, cancel any pending FIRE, and stay SAFE with the trip latched until an accepted ARM; FAULT stays FAULT.',
  },
  {
    id: 'ICD-LNCH-005',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'FIRE shall be refused unless ARMED: NAK bad-state in FAULT and in ARMING, busy in FIRING, and in SAFE watchdog-latched while the watchdog trip is latched, else bad-state. ARMED, a FIRE while another is pending shall be refused with NAK busy.',
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
    text: 'An accepted FIRE shall launch at executeAtUs ±1 ms in the launcher clock: FIRING from then until the interceptor has left the rail (at most 2 s); at the end of FIRING the launcher is ARMED again with roundsReady one less, and FIRE_REPORT launched gives actualTimeUs = the instant FIRING began.',
  },
  {
    id: 'ICD-LNCH-010',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'ABORT shall cancel the pending FIRE it names before launch (FIRE_REPORT aborted) and leave the launcher ARMED; ABORT of a FIRE that is not pending (already aborted, launched, or never accepted) is refused with NAK bad-state.',
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
    checkedByConformance: true,
    text: 'On a fault it detects (failed self-test, misfire) the launcher shall go FAULT, cancel any pending FIRE (FIRE_REPORT aborted; misfire for the FIRE that misfired) and refuse every command but SAFE with NAK bad-state (SLEW out of range: bad-field). SAFE shall be acknowledged in FAULT; a SAFE received while the fault persists is not remembered: the launcher leaves FAULT for SAFE on the first SAFE received after the fault has cleared.',
  },
  {
    id: 'ICD-LNCH-013',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'FIRE whose aim point the launcher cannot reach shall be refused with NAK out-of-envelope: an aim point below the ground (aimUpM < 0), or farther from the launcher than its interceptor flies (its own configuration; no launcher of this ICD reaches 1,000 km).',
  },
  {
    id: 'ICD-LNCH-014',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'ARMED with no round ready (roundsReady 0), FIRE shall be refused with NAK no-rounds and the launcher shall stay ARMED. Rounds are loaded outside this protocol.',
  },
  {
    id: 'ICD-LNCH-015',
    appliesTo: 'launcher',
    checkedByConformance: true,
    text: 'FIRE_REPORT shall be sent with the ACK-requested flag within 20 ms of the event it reports (end of FIRING, ABORT, SAFE, watchdog, fault) and, until the host answers it with ACK or NAK echoing its seq and type, repeated with the same seq and the retransmission flag at most 200 ms after its previous transmission, for at least 10 minutes.',
  },
  {
    id: 'ICD-HOST-001',
    appliesTo: 'host',
    checkedByConformance: false,
    text: 'The host shall send no command to a device whose link is lost (silent for 3 heartbeat periods) and shall drop every pending command on link loss.',
  },
  {
    id: 'ICD-HOST-002',
    appliesTo: 'host',
    checkedByConformance: false,
    text: 'The host shall never reuse a commandId, within a session or across its sessions (it persists the block of ids it reserves), and shall never send commandId 0.',
  },
  {
    id: 'ICD-HOST-003',
    appliesTo: 'host',
    checkedByConformance: false,
    text: 'When the schema hash in a device IDENT differs from its own, the host shall send that device no command (fail closed), keep reading its heartbeats and status for diagnosis, and report the mismatch.',
  },
];

/** Look up a rule; throws for an unknown id (a programming error). */
export function icdRule(id: string): IcdRule {
  const rule = ICD_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`unknown ICD rule ${id}`);
  return rule;
}
