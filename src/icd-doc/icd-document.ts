import {
  CRC_BYTES,
  FLAG_ACK_REQUESTED,
  FLAG_RETRANSMISSION,
  FRAME_ERROR_CODES,
  type FrameErrorCode,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  MAX_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
  cobsDecode,
  cobsEncode,
  crc16CcittFalse,
} from '../framing/index.js';
import {
  CATALOGUE,
  LAUNCHER_STATES,
  MESSAGE_NAMES,
  NAK_REASONS,
  SCHEMA_HASH,
  canonicalSchemaJson,
  messageSpec,
} from '../protocol/catalogue/index.js';
import { encodeMessage } from '../protocol/codec.js';
import { EXAMPLE_MESSAGES } from '../protocol/example-messages.js';
import { type FieldSpec, MAX_SAFE_U64, type MessageSpec, fieldBytes, payloadBytes } from '../protocol/field-spec.js';
import type { Message } from '../protocol/message-types.js';
import * as TIMING from '../protocol/timing-rules.js';
import { cell, rules } from './rules-section.js';

/**
 * docs/protocol.md, the interface control document, rendered from the catalogue, the ICD rules
 * and the timing constants, with the prose of this module. `npm run docs:protocol` writes it;
 * a test fails when the committed file differs. Every number that also lives in code is taken
 * from code here, so the document cannot drift from the implementation.
 */
export function renderIcdDocument(): string {
  const sections = [
    header(),
    purpose(),
    physicalLayer(),
    frameFormat(),
    cobsSection(),
    crcSection(),
    headerFields(),
    receiverChecks(),
    dataTypes(),
    sequenceNumbers(),
    deviceTime(),
    session(),
    acknowledgements(),
    commandIds(),
    timeSync(),
    radar(),
    launcher(),
    catalogueSummary(),
    ...MESSAGE_NAMES.map((name) => messageSection(name)),
    nakReasons(),
    timingConstants(),
    rules(),
    exampleFrames(),
    schemaHash(),
    goldenVectors(),
  ];
  return sections.map((s) => s.trim()).join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Prose that is not in the catalogue. The renderer throws when an entry is missing, so a new
// NAK reason, timing constant or error code cannot be added without its explanation.

const NAK_REASON_MEANINGS: Readonly<Record<(typeof NAK_REASONS)[number], string>> = {
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

const TIMING_MEANINGS: Readonly<Record<keyof typeof TIMING, { meaning: string; rules: string }>> = {
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
    meaning: 'RADAR_STATUS and LAUNCHER_STATUS are sent at least this often.',
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

const ERROR_CODE_MEANINGS: Readonly<Record<FrameErrorCode, string>> = {
  cobs: 'The block is not valid COBS: a code byte points past its end, or it holds a 0x00.',
  length: `The body is shorter than ${HEADER_BYTES + CRC_BYTES} or longer than ${MAX_BODY_BYTES} bytes, the payload size is not that of its type, or a run of more than ${MAX_ENCODED_FRAME_BYTES} bytes came without a delimiter, or a partial frame was pending at end of stream.`,
  crc: 'The CRC does not match the body.',
  version: `The version byte is not ${PROTOCOL_VERSION}.`,
  'unknown-type': 'No message has that type code, or the message is never sent in this direction.',
  field:
    'A reserved flag bit is set, the ACK-requested flag does not match the type, an enum field holds an undefined code, a u64 exceeds 2^53−1, or a float is NaN or infinite.',
};

// ---------------------------------------------------------------------------------------------
// Sections.

function header(): string {
  return `
# shieldlink serial protocol — interface control document

Protocol version ${PROTOCOL_VERSION}. Schema hash **${hex32(SCHEMA_HASH)}** (ICD-CMN-002).

> Generated from \`src/protocol\` (the message catalogue, \`icd-rules.ts\`, \`timing-rules.ts\`)
> by \`npm run docs:protocol\`. Do not edit by hand: a test fails when this file differs from
> the rendered document. Golden vectors: \`test/vectors/frames.json\`.

**Conventions.** "Shall" marks a requirement; each carries a rule id (\`ICD-FRM-005\`) listed in
[Normative rules](#normative-rules) and reported by the conformance kit. *Host* is the shieldlink
computer; *device* is a radar or launcher controller. Byte values are hexadecimal (\`0x41\`),
offsets count from 0, and "→" reads "becomes". Physical quantities are SI, with the unit in the
field name (\`rangeM\` metres, \`azimuthDeg\` degrees, \`speedMps\` metres per second,
\`deviceTimeUs\` microseconds). Positions and velocities are in the bench's local east-north-up
frame, whose origin and axes the bench configuration gives and every device shares. Azimuth is
clockwise from north, elevation above the horizon.`;
}

function purpose(): string {
  return `
## 1. Purpose and scope

This document specifies everything that crosses the serial link between the shieldlink host and
the controllers of a test bench: one radar controller and one or more launcher controllers, each
on its own link. It is complete enough to implement a controller from it alone: the physical
layer, the frame format, the message catalogue with every byte, the session (handshake,
heartbeats, acknowledgements, time synchronisation), the behaviour the host relies on (the
launcher state machine and time-tagged FIRE) and the timing. It does not cover the host's
internals, the MQTT bridge or the bench configuration files.

The framing (section 3) is fixed for protocol version ${PROTOCOL_VERSION}. The catalogue may grow;
any change of it changes the schema hash, and a host and a device whose hashes differ refuse to
work together (fail closed), so both sides are always built from the same catalogue.`;
}

function physicalLayer(): string {
  const bytesPerSecond = 921_600 / 10;
  return `
## 2. Physical layer

- Asynchronous serial, 8 data bits, no parity, 1 stop bit (8N1), no flow control.
- Default rate 921,600 baud (${bytesPerSecond.toLocaleString('en-US')} bytes/s); the bench configuration may set another rate.
  Both sides use the same rate; there is no autobauding.
- Carried over a USB-serial adapter (\`serial:/dev/ttyUSB0?baud=921600\`), or over raw TCP to an
  Ethernet serial server or \`ser2net\` in raw mode (\`tcp://host:port\`): the TCP stream carries the
  serial bytes unchanged, with no telnet or RFC 2217 negotiation.
- One link per device. The link is full duplex: either side may send at any time.
- Between frames a sender may send any number of 0x00 bytes (idle fill); receivers ignore them.
- At the default rate a ${wireBytes('TRACK_REPORT')}-byte TRACK_REPORT frame takes
  ${usOnLine(wireBytes('TRACK_REPORT'))} µs on the line; the line carries about
  ${Math.floor(bytesPerSecond / wireBytes('TRACK_REPORT')).toLocaleString('en-US')} such frames per second.`;
}

function frameFormat(): string {
  return `
## 3. Frame format

A frame on the wire is the COBS encoding of a *body*, followed by one 0x00 delimiter
(ICD-FRM-001). The body is:

\`\`\`
 body offset:  0         1        2        3        4        5 .. n-3       n-2      n-1
             +---------+--------+--------+--------+--------+--------------+--------+--------+
             | version |  type  | seq lo | seq hi | flags  |   payload    | crc lo | crc hi |
             +---------+--------+--------+--------+--------+--------------+--------+--------+
               u8 = ${PROTOCOL_VERSION}    u8       u16 little-endian   u8      0..${MAX_PAYLOAD_BYTES} bytes   u16 little-endian

 on the wire:  COBS(body) 00
\`\`\`

| field | offset | size | meaning |
|---|---|---|---|
| version | 0 | 1 | Protocol version, ${PROTOCOL_VERSION} (ICD-FRM-003). |
| type | 1 | 1 | Message type code ([Message catalogue](#message-catalogue)). |
| seq | 2 | 2 | Sequence number, little-endian ([Sequence numbers](#5-sequence-numbers)). |
| flags | 4 | 1 | Flag bits ([Header fields](#33-header-fields-and-flags)). |
| payload | 5 | n − 7 | The fields of the message type, in catalogue order, with no padding. |
| crc | n − 2 | 2 | CRC-16/CCITT-FALSE of bytes 0 .. n − 3, little-endian (ICD-FRM-005). |

- A body is at least ${HEADER_BYTES + CRC_BYTES} bytes (empty payload) and at most ${MAX_BODY_BYTES} bytes (ICD-FRM-004), so a
  payload is at most ${MAX_PAYLOAD_BYTES} bytes. Every message type of protocol version ${PROTOCOL_VERSION} has a fixed payload size.
- The COBS block of a ${MAX_BODY_BYTES}-byte body is at most 258 bytes. A receiver discards a run of more than
  ${MAX_ENCODED_FRAME_BYTES} bytes without a delimiter, counts it, and resynchronises at the next 0x00
  (ICD-FRM-002). It never skips ahead by a length read from a damaged frame: after any error the
  next frame starts after the next 0x00.
- A partial frame pending when the stream ends (link closed) is discarded and counted, never
  decoded. Empty blocks (two 0x00 in a row) are idle fill and are ignored.`;
}

function cobsSection(): string {
  const example = EXAMPLE_MESSAGES.find((e) => e.message.type === 'ARM')!.message;
  const wire = encodeMessage(example);
  const body = cobsDecode(wire.subarray(0, wire.length - 1))!;
  const groups = cobsGroups(body);
  const lines = groups.map(
    (g) =>
      `| ${g.data.length === 0 ? '(none)' : spaced(g.data)} | ${g.endsWithZero ? 'a 0x00' : g.data.length === 254 ? 'nothing (full group)' : 'the end of the body'} | \`${hex2(g.code)}\` | \`${spaced(Uint8Array.of(g.code, ...g.data))}\` |`,
  );
  return `
### 3.1 COBS

Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999) removes every 0x00 from the body
so that 0x00 can delimit frames. The body is cut into *groups*: each group is up to 254 non-zero
bytes followed by a 0x00 (or by the end of the body). A group is sent as one *code byte* equal
to its number of non-zero bytes plus one, then those bytes; the 0x00 itself is not sent.
A code byte of 0xFF means 254 non-zero bytes *not* followed by a 0x00 (the run simply continues in
the next group). Decoding reverses this: read a code byte c, copy the next c − 1 bytes, then
append a 0x00 unless c is 0xFF or the block has ended.

- Encoding adds one byte per started 254-byte run; for every body of this protocol shorter than
  254 bytes it adds exactly one byte: the COBS block is n + 1 bytes, the frame n + 2.
- Canonical form (ICD-FRM-001): when a full group (code 0xFF) ends the body, the encoder stops
  there; it does not append an empty group \`01\`. This is the form of the Wikipedia article
  and of the Python \`cobs\` package. Receivers accept both forms.
- A block is malformed (error \`cobs\`) when a code byte is 0x00, when a code byte points past
  the end of the block, or when the block contains a 0x00.

Worked example: the body of ARM (seq ${example.seq}, flags ${example.flags}, commandId ${(example as Message<'ARM'>).commandId})
is \`${spaced(body)}\`. Its groups:

| non-zero bytes | followed by | code byte | sent as |
|---|---|---|---|
${lines.join('\n')}

so the frame on the wire is \`${spaced(wire)}\` (the last \`00\` is the delimiter).`;
}

function crcSection(): string {
  const check = crc16CcittFalse(new TextEncoder().encode('123456789'));
  const example = EXAMPLE_MESSAGES.find((e) => e.message.type === 'ARM')!.message;
  const wire = encodeMessage(example);
  const body = cobsDecode(wire.subarray(0, wire.length - 1))!;
  const crc = crc16CcittFalse(body, 0, body.length - CRC_BYTES);
  return `
### 3.2 CRC-16/CCITT-FALSE

| parameter | value |
|---|---|
| width | 16 bits |
| polynomial | 0x1021 (x^16 + x^12 + x^5 + 1) |
| initial value | 0xFFFF |
| input and output reflected | no (most significant bit first) |
| final XOR | 0x0000 |
| check value, CRC of the ASCII bytes \`123456789\` | **0x${hex(check, 4).toUpperCase()}** |

The CRC covers every body byte before it (version through the last payload byte) and is sent
little-endian: low byte first (ICD-FRM-005). For the ARM body above, the CRC of
\`${spaced(body.subarray(0, body.length - CRC_BYTES))}\` is 0x${hex(crc, 4).toUpperCase()}, sent as \`${hex2(crc & 0xff)} ${hex2(crc >> 8)}\`.

A bitwise reference (a table-driven version must give the same results):

\`\`\`c
uint16_t crc16_ccitt_false(const uint8_t *data, size_t length) {
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < length; i++) {
        crc ^= (uint16_t)data[i] << 8;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}
\`\`\``;
}

function headerFields(): string {
  return `
### 3.3 Header fields and flags

- **version**: ${PROTOCOL_VERSION}. A receiver rejects any other value (ICD-FRM-003).
- **type**: the message type code. A receiver rejects a code that is not in the catalogue or
  a message that is never sent in the direction it arrived from (ICD-FRM-011).
- **seq**: see [Sequence numbers](#5-sequence-numbers).
- **flags**:

| bit | mask | name | meaning |
|---|---|---|---|
| 0 | 0x${hex2(FLAG_ACK_REQUESTED)} | ACK requested | The receiver answers ACK or NAK within ${ms(TIMING.ACK_DEADLINE_US)} ms (ICD-CMN-005). Set on every frame whose type is acknowledged, and on no other: a frame whose flag does not match its type is discarded (\`field\`, ICD-FRM-007). |
| 1 | 0x${hex2(FLAG_RETRANSMISSION)} | retransmission | This frame repeats an earlier one: same seq, same payload (ICD-FRM-009). Informative: a receiver recognises a repeat by type, seq and command id, with or without this flag (ICD-CMN-008). |
| 2–7 | 0xFC | reserved | Sent 0. A receiver rejects a frame with a reserved bit set (ICD-FRM-007). |`;
}

function receiverChecks(): string {
  const rows = FRAME_ERROR_CODES.map((code) => `| \`${code}\` | ${ERROR_CODE_MEANINGS[code]} |`);
  return `
### 3.4 What a receiver checks

A receiver checks each block between two delimiters in this order and discards the frame at the
first failure, counting it under the error code (ICD-FRM-010). A discarded frame is never
answered (its seq and type cannot be trusted: no NAK) and never changes device state.

1. Block length at most ${MAX_ENCODED_FRAME_BYTES} bytes (\`length\`).
2. Valid COBS (\`cobs\`).
3. Body length between ${HEADER_BYTES + CRC_BYTES} and ${MAX_BODY_BYTES} bytes (\`length\`).
4. CRC (\`crc\`).
5. Version (\`version\`).
6. Reserved flag bits clear (\`field\`).
7. Type code known, and sent in this direction (\`unknown-type\`).
8. Payload size equal to that of the type (\`length\`).
9. Every field valid: enum codes defined, u64 at most 2^53−1, floats finite (\`field\`, ICD-FRM-008).
10. ACK-requested flag set if and only if the type is acknowledged (\`field\`, ICD-FRM-007): an ARM
    without it is not executed, a TIME_SYNC_REQUEST with it is not answered.

A frame that passes every check is *valid*; only valid frames count as heartbeats, commands or
answers. The device kind does not enter these checks: a launcher discards a RADAR_SET_MODE with
an undefined \`mode\` code like a radar does, and refuses a valid one with NAK unsupported
(ICD-CMN-010).

| error | meaning |
|---|---|
${rows.join('\n')}`;
}

function dataTypes(): string {
  return `
## 4. Data types

All multi-byte values are little-endian (ICD-FRM-006). There is no padding and no alignment.

| type | bytes | range on the wire |
|---|---|---|
| u8, u16, u32 | 1, 2, 4 | unsigned integers |
| u64 | 8 | unsigned, **at most 2^53−1 = ${MAX_SAFE_U64}** (a larger value is a \`field\` error) |
| i8, i16, i32 | 1, 2, 4 | two's complement (none used in version ${PROTOCOL_VERSION}) |
| f32, f64 | 4, 8 | IEEE 754 binary32 / binary64, finite: NaN and ±infinity are \`field\` errors |
| enum | 1 | u8 code; only the codes listed for the field are valid (others are \`field\` errors) |

The u64 bound lets every implementation hold these values in an IEEE double (JavaScript, JSON,
Python floats) without loss; 2^53 µs is 285 years.`;
}

function sequenceNumbers(): string {
  return `
## 5. Sequence numbers

Each sender numbers the frames it sends on a link: one counter per link and direction, starting
at any value (the host starts at 0), increased by 1 for each new frame of any type, wrapping
from 65535 to 0 (ICD-FRM-009). A retransmission repeats the original frame byte for byte except
the flags, which gain the retransmission bit, and the CRC; it does not consume a new number.

Receivers count gaps (a seq more than 1 after the previous one, modulo 65536) and duplicates
(the same seq again) for diagnosis. Gaps and duplicates do not make a frame invalid: a frame is
accepted or refused on its own checks. ACK and NAK name the frame they answer by its seq and type.`;
}

function deviceTime(): string {
  return `
## 6. Device time

Every device time (\`deviceTimeUs\`, \`measurementTimeUs\`, \`t2DeviceUs\`, \`t3DeviceUs\`,
\`executeAtUs\`, \`actualTimeUs\`, a device's \`senderTimeUs\`) is an integer count of
microseconds of the device's own monotonic clock, sent as u64 (ICD-CMN-004):

- it starts near 0 at power-on and never decreases while the device runs (it is not wall time,
  and is never set or adjusted by the host);
- its width on the wire is 64 bits, but a value never exceeds 2^53−1 µs (285 years), so it never
  wraps in practice, and a larger value is invalid on the wire;
- it restarts near 0 after a power cycle or reset: the host notices it in IDENT
  (\`deviceTimeUs\` smaller than before) and starts time synchronisation afresh.

Host times (\`hostTimeUs\`, \`t1HostUs\`, the host's \`senderTimeUs\`) follow the same rules on the
host's monotonic clock. The host relates the two clocks through [time synchronisation](#10-time-synchronisation);
a device never needs the host's time.`;
}

function session(): string {
  return `
## 7. Session: power-on, handshake, heartbeats

\`\`\`
 host                                              device
  |  HEARTBEAT every ${ms(TIMING.HEARTBEAT_PERIOD_US)} ms  <------------------------>  |  from power-on, both sides
  |  HELLO(schemaHash, hostTimeUs)  -------------->  |  on link open, every ${ms(TIMING.HELLO_RETRY_US)} ms until IDENT
  |  <--------------  IDENT(kind, serial, firmware, schemaHash, deviceTimeUs)
  |  host compares schema hashes: equal -> commands allowed; different -> fail closed
  |  TIME_SYNC_REQUEST(t1)  ---------------------->  |  every 100 ms (host choice)
  |  <------------------  TIME_SYNC_RESPONSE(t1, t2, t3)      host notes t4
  |  ARM(commandId) [ACK requested]  ------------->  |
  |  <------------------------  ACK(seq, type, commandId)
\`\`\`

- **Heartbeats.** Both sides send HEARTBEAT every ${ms(TIMING.HEARTBEAT_PERIOD_US)} ms (±10 ms) from power-on, whether or
  not anyone listens, and whether or not a handshake took place; \`heartbeatCount\` increases by
  1 per heartbeat and wraps at 2^32 (ICD-CMN-003). The host considers a link lost after
  3 heartbeat periods without any valid frame: it then sends no command and drops every pending
  command (ICD-HOST-001). The launcher's own watchdog is described in [Launcher](#12-launcher).
- **Handshake.** The host sends HELLO when a link opens and after every link loss, repeating it
  every ${ms(TIMING.HELLO_RETRY_US)} ms until IDENT arrives. A device answers every HELLO with IDENT, whatever
  the schema hash, so the host can report a mismatch (ICD-CMN-001). Each HELLO starts a new
  session. A new session clears nothing on the device: the launcher's state, its watchdog latch,
  a pending FIRE, the commands it remembers (ICD-CMN-008) and its executed FIRE ids
  (ICD-LNCH-008) stay as they were; only a power cycle clears them.
- **Schema hash.** HELLO carries the host's schema hash and IDENT the device's. When they
  differ, the host sends that device no command and reports the mismatch (ICD-CMN-002); it keeps
  reading heartbeats and status for diagnosis. The device likewise fails closed: after a HELLO
  with a hash other than its own it answers IDENT (with its own hash) and refuses every command
  with NAK schema-mismatch — SAFE to a launcher excepted — until a HELLO with its own hash
  (ICD-CMN-009). How the hash is computed: [Schema hash](#schema-hash).
- **Before the handshake** a device sends heartbeats and periodic status but answers every
  command with NAK not-handshaken (ICD-CMN-001), except SAFE, which a launcher always accepts
  (ICD-LNCH-003). The launcher's watchdog runs from power-on: with no host HEARTBEAT within
  ${ms(TIMING.LAUNCHER_WATCHDOG_US)} ms of power-on it trips, so a launcher that has waited for a host shows
  \`watchdog: tripped\` and answers FIRE with NAK watchdog-latched until its first accepted ARM
  (ICD-LNCH-004).`;
}

function acknowledgements(): string {
  const acked = MESSAGE_NAMES.filter((n) => messageSpec(n).acknowledged);
  return `
## 8. Acknowledged messages, ACK and NAK

The acknowledged message types are ${acked.join(', ')}. Their sender sets the ACK-requested flag; no
other message sets it.

- The receiver answers within ${ms(TIMING.ACK_DEADLINE_US)} ms of the end of reception with ACK if it accepts the message or NAK
  with a reason if it refuses it, echoing the frame's seq and type and the message's command id
  — for FIRE_REPORT, which carries no \`commandId\`, its \`fireCommandId\` (ICD-CMN-005).
- The ACK-requested flag is set on every frame of an acknowledged type and on no other; a frame
  whose flag does not match its type is discarded unanswered (ICD-FRM-007).
- A refused command has no effect at all (ICD-CMN-006).
- An ACK means the command was accepted, not that its effect is complete: a FIRE accepted now
  launches at its execute-at time, and its outcome comes in FIRE_REPORT.
- **Retransmission.** A sender that receives neither ACK nor NAK in time sends the frame again
  with the same seq and payload and the retransmission flag, up to its retry limit. The retry
  interval and limit are the sender's choice; the interval shall exceed the ${ms(TIMING.ACK_DEADLINE_US)} ms deadline plus
  the line time of both frames. The host gives up after its limit and reports the command
  timed out. A launcher repeats FIRE_REPORT until the host answers it with ACK or NAK (either
  ends the repetition), at most ${ms(TIMING.FIRE_REPORT_REPEAT_MAX_US)} ms after the previous transmission, for at least
  ${TIMING.FIRE_REPORT_REPEAT_FOR_US / 60_000_000} minutes (ICD-LNCH-015); it has no other retry limit.
- The receiver of a retransmission answers it as it answered the original (see
  [Command ids](#9-command-ids-and-idempotency)); it never executes a command twice.

### 8.1 Order of the checks on a command

A device judges every valid acknowledged frame from the host in this order and answers with the
first that applies (ICD-CMN-011); the state checks of each command follow (launcher: 12.2,
12.3):

| step | condition | answer | rule |
|---|---|---|---|
| 1 | SAFE to a launcher | ACK, SAFE at once — whatever the steps below would say | ICD-LNCH-003 |
| 2 | no HELLO received since power-on | NAK not-handshaken | ICD-CMN-001 |
| 3 | the last HELLO carried a foreign schema hash | NAK schema-mismatch | ICD-CMN-009 |
| 4 | a repeat of a command it executed (same type, seq and commandId) | ACK again, no effect | ICD-CMN-008 |
| 5 | commandId 0 | NAK bad-field | ICD-CMN-008 |
| 6 | commandId of an executed FIRE | NAK duplicate-command | ICD-LNCH-008 |
| 7 | a message of the other device kind | NAK unsupported | ICD-CMN-010 |
| 8 | a field out of range (SLEW angles) | NAK bad-field | ICD-LNCH-011 |
| 9 | the state checks of the command | as 12.2 and 12.3 | |

So SAFE with commandId 0, before HELLO, or reusing the id of an executed FIRE is still
acknowledged; ARM with commandId 0 before HELLO is refused not-handshaken; a SLEW out of range
is refused bad-field in every state, FAULT included.`;
}

function commandIds(): string {
  return `
## 9. Command ids and idempotency

Every host command (RADAR_SET_MODE, ARM, SAFE, SLEW, FIRE, ABORT) carries a \`commandId\` chosen
by the host: non-zero, and never reused — neither within a session nor across the host's
sessions: the host reserves blocks of ids and persists the reservation, so a host restart never
hands out an id again (ICD-HOST-002). A device executes a command at most once
(ICD-CMN-008):

- A **repeat** is a frame with the same type, seq and commandId as a command the device executed
  (answered ACK). The retransmission flag is not needed: a frame duplicated on the line without
  the flag is a repeat too. The payload is not compared (the host never changes it: the id names
  the command). A repeat is answered ACK again with no further effect (the ACK may have been
  lost; the command must not run twice). A device recognises repeats of at least the last
  ${TIMING.COMMAND_REPEAT_MEMORY} commands it executed.
- A repeat of a command the device **refused** is evaluated again as a new command (a refused
  command had no effect, so nothing can happen twice).
- **FIRE ids.** A launcher remembers the ids of at least the last ${TIMING.FIRE_ID_MEMORY} FIRE commands it
  executed (accepted), while powered, across host sessions; only a power cycle clears them. Any
  command other than a repeat and SAFE that carries one of those ids — a new FIRE, or an ARM,
  SLEW or ABORT — is refused with NAK duplicate-command (ICD-LNCH-008): since the host never
  reuses ids, such a frame is a fault somewhere and nothing runs.
- **Other ids.** A device need not remember the ids of other executed commands beyond the repeat
  memory; a new frame (another seq) reusing such an id is executed as a new command. The host
  never sends one.
- commandId 0 is refused with NAK bad-field, except in SAFE, which is always acknowledged
  (ICD-LNCH-003).

Devices report the last executed id in RADAR_STATUS / LAUNCHER_STATUS (\`lastCommandId\`), so a
host that lost an ACK can tell whether its command ran.`;
}

function timeSync(): string {
  return `
## 10. Time synchronisation

The host estimates each device's clock from NTP-style exchanges. The four timestamps:

| | taken by | when |
|---|---|---|
| t1 | host | when it starts sending TIME_SYNC_REQUEST (carried in the request as \`t1HostUs\`) |
| t2 | device | at the end of reception of the request (its delimiter) (\`t2DeviceUs\`) |
| t3 | device | at the start of transmission of TIME_SYNC_RESPONSE (\`t3DeviceUs\`) |
| t4 | host | at the end of reception of the response |

The device answers within ${ms(TIMING.TIME_SYNC_RESPONSE_DEADLINE_US)} ms, echoing t1, with t2 ≤ t3 (ICD-CMN-007). The host computes

- offset θ = ((t2 − t1) + (t3 − t4)) / 2 — device clock minus host clock;
- round-trip delay δ = (t4 − t1) − (t3 − t2), the time spent on the link both ways.

A host instant h corresponds to device time h + θ, within ±δ/2 plus the drift accumulated since the
sample. The host keeps the samples with the smallest δ over a window (a minimum-RTT filter:
queueing only ever adds delay), estimates the drift rate from successive offsets, and keeps an
uncertainty bound; interlocks require that bound to be small before a FIRE is sent. Because t2
is taken at the end of the request and t3 at the start of the response, the two frames' line
times enter θ asymmetrically: θ is off by (L_req − L_resp) / 2, where L is a frame's time on the
line, and the host may use θ + (L_resp − L_req) / 2. At 921,600 baud L_req = ${usOnLine(wireBytes('TIME_SYNC_REQUEST'))} µs and
L_resp = ${usOnLine(wireBytes('TIME_SYNC_RESPONSE'))} µs: a correction of ${(usOnLine(wireBytes('TIME_SYNC_RESPONSE')) - usOnLine(wireBytes('TIME_SYNC_REQUEST'))) / 2} µs.

The host plans a FIRE in host time and converts the launch instant into launcher time with θ, so
serial latency does not affect launch precision ([Launcher](#12-launcher)).`;
}

function radar(): string {
  return `
## 11. Radar

- The radar sends RADAR_STATUS every ${ms(TIMING.STATUS_PERIOD_US)} ms — never more than ${ms(TIMING.STATUS_MAX_GAP_US)} ms apart in its own
  clock — and within ${ms(TIMING.STATUS_ON_CHANGE_US)} ms of every change of \`mode\` or \`health\`; the other fields
  (\`activeTracks\`, \`lastCommandId\`, …) do not call for a status of their own (ICD-RDR-001).
- Launcher messages (ARM, SAFE, SLEW, FIRE, ABORT) sent to a radar are refused with NAK
  unsupported (ICD-CMN-010).
- Modes: \`standby\` (no scanning), \`search\` (scanning, tracking, reporting), \`silent\` (not
  emitting). RADAR_SET_MODE is acknowledged and the new mode shows in the next RADAR_STATUS
  (ICD-RDR-002); setting the current mode is acknowledged with no effect. A mode the radar cannot
  enter now (health \`fault\`) is refused with NAK bad-state.
- TRACK_REPORT is sent only in search mode, once per scan per track; \`measurementTimeUs\` is the
  device time of the measurement, not of transmission (ICD-RDR-003).
- A track id is never reused while the radar runs; a dropped track gets exactly one TRACK_DROP;
  a target destroyed by an interceptor is dropped with reason \`destroyed\` (ICD-RDR-004).
  Leaving search mode drops every track with reason \`mode-change\` (ICD-RDR-005).
- \`positionSigmaM\` and \`velocitySigmaMps\` are 1-sigma uncertainties per axis; \`quality\` is
  0 (worst) to 100 (best); \`iffClass\` is the identification friend or foe.`;
}

function launcher(): string {
  const states = LAUNCHER_STATES.map((s) => `\`${s}\``).join(', ');
  return `
## 12. Launcher

### 12.1 States

LAUNCHER_STATUS.state is one of ${states}. The launcher powers on SAFE (ICD-LNCH-001) and
sends LAUNCHER_STATUS every ${ms(TIMING.STATUS_PERIOD_US)} ms — never more than ${ms(TIMING.STATUS_MAX_GAP_US)} ms apart in its own clock —
and within ${ms(TIMING.STATUS_ON_CHANGE_US)} ms of every change of \`state\`, \`watchdog\`, \`roundsReady\` or
\`pendingFireCommandId\`. Changes of \`azimuthDeg\`, \`elevationDeg\` or \`lastCommandId\` alone
wait for the next periodic status.

\`\`\`
 SAFE --ARM accepted--> ARMING --arming complete--> ARMED --executeAtUs reached--> FIRING --interceptor away--> ARMED
 any state --SAFE, or watchdog (no host HEARTBEAT for ${ms(TIMING.LAUNCHER_WATCHDOG_US)} ms)--> SAFE   (FAULT stays FAULT)
 any state --fault detected--> FAULT --SAFE, once the fault has cleared--> SAFE
\`\`\`

| from | event | to | effect | rule |
|---|---|---|---|---|
| (power-on) | — | SAFE | watchdog \`ok\` | ICD-LNCH-001 |
| SAFE | ARM accepted (a host HEARTBEAT within ${ms(TIMING.ARM_HEARTBEAT_FRESH_US)} ms) | ARMING | a latched watchdog is cleared | ICD-LNCH-002 |
| ARMING | arming sequence complete (device-specific, at most ${ms(TIMING.ARMING_MAX_US)} ms; ${ms(TIMING.DEFAULT_ARMING_DURATION_US)} ms in the simulator) | ARMED | | ICD-LNCH-002 |
| ARMED | FIRE accepted | ARMED | \`pendingFireCommandId\` = its id | ICD-LNCH-005 |
| ARMED | launcher time reaches the pending FIRE's executeAtUs | FIRING | launch starts | ICD-LNCH-009 |
| FIRING | interceptor has left the rail (device-specific launch delay, at most ${ms(TIMING.FIRING_MAX_US)} ms) | ARMED | roundsReady − 1; FIRE_REPORT launched with actualTimeUs = the start of FIRING | ICD-LNCH-009 |
| ARMED | ABORT naming the pending FIRE | ARMED | FIRE_REPORT aborted | ICD-LNCH-010 |
| any | SAFE | SAFE (FAULT stays FAULT until the fault has cleared) | pending FIRE aborted (FIRE_REPORT aborted) | ICD-LNCH-003, ICD-LNCH-012 |
| any | no valid host HEARTBEAT for ${ms(TIMING.LAUNCHER_WATCHDOG_US)} ms | SAFE (FAULT stays FAULT) | watchdog \`tripped\`, latched until an accepted ARM; pending FIRE aborted | ICD-LNCH-004 |
| any | fault detected (self-test, misfire) | FAULT | pending FIRE aborted; a misfire gives FIRE_REPORT misfire | ICD-LNCH-012 |

The watchdog runs from power-on in every state, and restarts at each valid host HEARTBEAT. At
power-on it shows \`ok\`; with no host HEARTBEAT within ${ms(TIMING.LAUNCHER_WATCHDOG_US)} ms of power-on it trips like at any
other time. A tripped watchdog is *latched*: the launcher stays SAFE, and LAUNCHER_STATUS shows
\`watchdog: tripped\`, until an accepted ARM, even if heartbeats resume. While it is latched,
FIRE in SAFE is refused watchdog-latched rather than bad-state.

**FIRING and the interceptor.** FIRING begins at executeAtUs (±${ms(TIMING.LAUNCH_TOLERANCE_US)} ms in the launcher clock)
and ends when the interceptor has left the rail, after the launcher's own launch delay (at
most ${ms(TIMING.FIRING_MAX_US)} ms). Until then the interceptor has not left: SAFE, the watchdog or a fault during
FIRING aborts the launch — FIRE_REPORT \`aborted\`, the round kept (\`roundsReady\` unchanged).
At the end of FIRING the interceptor has left: \`roundsReady\` drops by one, the launcher is
ARMED again (one status shows both), and FIRE_REPORT \`launched\` gives \`actualTimeUs\` = the
instant FIRING began and \`roundsRemaining\` = the new \`roundsReady\` (ICD-LNCH-009). A SAFE after
that cannot recall the interceptor; it finds the launcher ARMED and no FIRE to cancel.

**Rounds** are loaded outside this protocol (by the crew; the simulator has the count of its
configuration at power-on). With none ready the launcher stays ARMED and refuses FIRE with NAK
no-rounds (ICD-LNCH-014): running dry is not a safety event.

**Out of envelope.** The launcher knows its own position and how far its interceptor flies
(its configuration, not the host's). It refuses a FIRE whose aim point is below the ground
(\`aimUpM\` < 0) or beyond that reach with NAK out-of-envelope (ICD-LNCH-013). No launcher of this
ICD reaches 1,000 km, so a conformance kit can test the rule without knowing the bench.

**FAULT.** A SAFE received while the fault persists is acknowledged and has no other effect: it
is not remembered. The launcher leaves FAULT for SAFE on the first SAFE received after the fault
has cleared; a host that wants it back sends SAFE again (ICD-LNCH-012).

### 12.2 Commands in each state

Before this table come the checks of section 8.1, in every state: SAFE is always acknowledged;
otherwise not-handshaken, schema-mismatch, a repeat (ACK again, no effect), commandId 0
(bad-field), the id of an executed FIRE (duplicate-command), RADAR_SET_MODE (unsupported), a
SLEW out of range (bad-field, in every state FAULT included).

| command | SAFE | ARMING | ARMED | FIRING | FAULT |
|---|---|---|---|---|---|
| ARM | ACK → ARMING; NAK no-heartbeat without a fresh host HEARTBEAT | ACK, no effect | ACK, no effect | NAK bad-state | NAK bad-state |
| SAFE | ACK | ACK → SAFE | ACK → SAFE | ACK → SAFE | ACK (→ SAFE once the fault has cleared) |
| SLEW | ACK, moves | ACK, moves | ACK, moves; NAK busy while a FIRE is pending | NAK busy | NAK bad-state |
| FIRE | NAK watchdog-latched if the watchdog is latched, else NAK bad-state | NAK bad-state | checks below | NAK busy | NAK bad-state (latched watchdog or not) |
| ABORT | NAK bad-state | NAK bad-state | ACK if it names the pending FIRE, else NAK bad-state | NAK bad-state | NAK bad-state |

SLEW with an azimuth outside [0, 360) or an elevation outside [0, 90] is refused with NAK
bad-field in every state (ICD-LNCH-011). SAFE in FIRING always finds the interceptor still on
the rail: FIRE_REPORT \`aborted\` (see FIRING above).

### 12.3 FIRE: time-tagged launch

FIRE carries the launch instant \`executeAtUs\` in the **launcher's** clock (the host converts
it through time synchronisation) and the predicted intercept point. On receiving FIRE at
launcher time r (the end of its reception), the launcher checks in this order and answers
according to the first that applies:

1. the checks of section 8.1 (not-handshaken, schema-mismatch, a repeat → ACK again with no
   effect, commandId 0 → bad-field, the id of an executed FIRE → duplicate-command);
2. not ARMED: in FAULT NAK bad-state; in FIRING NAK busy; in SAFE NAK watchdog-latched if the
   watchdog trip is latched, else bad-state; in ARMING NAK bad-state (ICD-LNCH-005);
3. no round ready: NAK no-rounds (ICD-LNCH-014);
4. a FIRE already pending: NAK busy (ICD-LNCH-005);
5. executeAtUs < r − ${TIMING.FIRE_LATE_TOLERANCE_US} µs: NAK late (ICD-LNCH-006);
6. executeAtUs > r + ${TIMING.FIRE_MAX_LEAD_US / 1_000_000} s: NAK too-far-ahead (ICD-LNCH-007);
7. aim point out of reach: NAK out-of-envelope (ICD-LNCH-013).

Otherwise it answers ACK, shows the id in \`pendingFireCommandId\`, launches at executeAtUs ±${ms(TIMING.LAUNCH_TOLERANCE_US)} ms
in its own clock (ICD-LNCH-009), and sends FIRE_REPORT with the actual launch time and the rounds
remaining. Only one FIRE may be pending at a time. A pending FIRE is cancelled by ABORT naming
it, by SAFE, by the watchdog and by a fault, each giving FIRE_REPORT \`aborted\` with the time of
cancellation.

**FIRE_REPORT delivery** (ICD-LNCH-015). Every FIRE_REPORT goes with the ACK-requested flag
within ${ms(TIMING.FIRE_REPORT_DEADLINE_US)} ms of the event it reports. Until the host answers it with ACK or NAK echoing
its seq and type (the host echoes \`fireCommandId\` as the command id, ICD-CMN-005), the launcher
sends it again, same seq, retransmission flag, at most ${ms(TIMING.FIRE_REPORT_REPEAT_MAX_US)} ms after the previous
transmission, for at least ${TIMING.FIRE_REPORT_REPEAT_FOR_US / 60_000_000} minutes. The host reports each FIRE outcome once,
however many copies arrive.`;
}

function catalogueSummary(): string {
  const rows = MESSAGE_NAMES.map((name) => {
    const spec = messageSpec(name);
    return `| ${hex8(spec.code)} | [${name}](#${anchor(spec.code, name)}) | ${spec.family} | ${directionText(spec)} | ${spec.acknowledged ? 'yes' : 'no'} | ${payloadBytes(spec)} | ${wireBytes(name)} |`;
  });
  return `
## Message catalogue

| code | message | device | direction | acknowledged | payload bytes | frame bytes on the wire |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Type codes: 0x01–0x1F common, 0x20–0x3F radar, 0x40–0x5F launcher. Each section below gives the
payload; the header and CRC are as in section 3. "Offset" counts from the start of the payload;
add ${HEADER_BYTES} for the offset in the body.`;
}

function messageSection(name: (typeof MESSAGE_NAMES)[number]): string {
  const spec = messageSpec(name);
  let offset = 0;
  const rows = spec.fields.map((field) => {
    const row = `| ${offset} | ${fieldBytes(field)} | ${field.kind === 'enum' ? 'enum (u8)' : field.kind} | \`${field.name}\` | ${unitOf(field)} | ${cell(field.doc)} |`;
    offset += fieldBytes(field);
    return row;
  });
  const enums = spec.fields
    .filter((f): f is Extract<FieldSpec, { kind: 'enum' }> => f.kind === 'enum')
    .map(
      (f) =>
        `\`${f.name}\` codes: ${f.values.map((v, code) => `${code} = \`${v}\``).join(', ')}. Other codes are invalid (\`field\`).`,
    );
  return `
### ${anchorHeading(spec.code, name)}

${cell(spec.doc)}

- Device: ${spec.family}. Direction: ${directionText(spec)}.
- Sent: ${spec.sentWhen}
- Reply expected: ${spec.reply}.
- ${spec.acknowledged ? 'Acknowledged: the sender sets ACK requested and retransmits until ACK or NAK.' : 'Not acknowledged: sent with ACK requested clear.'}
- Payload ${payloadBytes(spec)} bytes; body ${payloadBytes(spec) + HEADER_BYTES + CRC_BYTES} bytes; ${wireBytes(name)} bytes on the wire.

| offset | size | type | field | unit | meaning |
|---|---|---|---|---|---|
${rows.length === 0 ? '| — | 0 | | (no fields) | | |' : rows.join('\n')}
${enums.length === 0 ? '' : '\n' + enums.join('\n\n')}`;
}

function nakReasons(): string {
  const rows = NAK_REASONS.map((reason, code) => `| ${code} | \`${reason}\` | ${cell(NAK_REASON_MEANINGS[reason])} |`);
  return `
## NAK reasons

NAK.reason (ICD-CMN-006). When several reasons apply, the order of section 8.1 and of the FIRE
checks (12.3) decides which one a device sends (ICD-CMN-011).

| code | reason | meaning |
|---|---|---|
${rows.join('\n')}`;
}

function timingConstants(): string {
  const rows = (Object.keys(TIMING_MEANINGS) as (keyof typeof TIMING)[]).map((name) => {
    const value = TIMING[name];
    const shown = name.endsWith('_US') ? `${value.toLocaleString('en-US')} µs (${ms(value)} ms)` : String(value);
    return `| \`${name}\` | ${shown} | ${cell(TIMING_MEANINGS[name].meaning)} | ${TIMING_MEANINGS[name].rules} |`;
  });
  return `
## Timing

Named as in \`src/protocol/timing-rules.ts\`.

| constant | value | meaning | rules |
|---|---|---|---|
${rows.join('\n')}`;
}

function exampleFrames(): string {
  const picks: [string, string][] = [
    ['HELLO', 'host-to-device'],
    ['IDENT', 'device-to-host'],
    ['HEARTBEAT', 'device-to-host'],
    ['ARM', 'host-to-device'],
    ['NAK', 'device-to-host'],
    ['TRACK_REPORT', 'device-to-host'],
    ['FIRE', 'host-to-device'],
    ['FIRE_REPORT', 'device-to-host'],
  ];
  const blocks = picks.map(([type, direction]) => {
    const { message } = EXAMPLE_MESSAGES.find((e) => e.message.type === type && e.direction === direction)!;
    const wire = encodeMessage(message);
    const body = cobsDecode(wire.subarray(0, wire.length - 1))!;
    return `**${type}** (${direction.replace(/-/g, ' ')})

\`\`\`
message: ${JSON.stringify(message)}
body:    ${spaced(body)}
wire:    ${spaced(wire)}
\`\`\``;
  });
  return `
## Example frames

Taken from the golden vectors (\`test/vectors/frames.json\`, vector names "<type> <direction>").
\`body\` is the decoded body (header, payload, CRC); \`wire\` is what goes on the line.

${blocks.join('\n\n')}`;
}

function schemaHash(): string {
  return `
## Schema hash

The schema hash identifies the catalogue: every message's name, type code, direction, whether
it is acknowledged, and its fields' names, types and enum values, in order. Documentation text,
units and field descriptions are not part of it.

Computation (ICD-CMN-002), from the tables of this document alone:

1. For each message of the [catalogue](#message-catalogue), in increasing type-code order, make
   the array \`[name, code, direction, acknowledged, fields]\`:
   - \`name\`: the message name as a JSON string, exactly as in the catalogue (\`"HELLO"\`,
     \`"TIME_SYNC_REQUEST"\`);
   - \`code\`: the type code as a JSON number in decimal (0x41 → \`65\`);
   - \`direction\`: one of the JSON strings \`"host-to-device"\` (catalogue: host → device),
     \`"device-to-host"\` (device → host) or \`"both"\` (both ways);
   - \`acknowledged\`: the JSON literal \`true\` or \`false\` (the catalogue's "acknowledged"
     column);
   - \`fields\`: an array with one entry per payload field, in offset order: \`[fieldName, kind]\`
     with the field name as in the tables (\`"schemaHash"\`) and the kind one of \`"u8"\`, \`"u16"\`,
     \`"u32"\`, \`"u64"\`, \`"i8"\`, \`"i16"\`, \`"i32"\`, \`"f32"\`, \`"f64"\` (the type column); an enum
     field is \`[fieldName, "enum", [value names in code order]]\` with the names as JSON strings
     (\`"unknown"\`, \`"radar"\`, \`"launcher"\` for codes 0, 1, 2). A message without payload has
     \`[]\`.
2. Put these arrays in one array and serialise it as JSON with no whitespace at all (no space
   after \`,\` or \`:\`, no newline); every string is plain ASCII with nothing to escape.
3. Take the SHA-256 of those bytes (ASCII = UTF-8).
4. The hash is the first 4 bytes of the digest read as a big-endian u32 (digest \`${spaced(u32Bytes(SCHEMA_HASH, false))} …\`
   → ${hex32(SCHEMA_HASH)}). It travels in HELLO and IDENT as a u32 like any other (little-endian on the
   wire: \`${spaced(u32Bytes(SCHEMA_HASH, true))}\`).

For example the HELLO entry is
\`["HELLO",1,"host-to-device",false,[["schemaHash","u32"],["hostTimeUs","u64"]]]\` and the IDENT
entry begins \`["IDENT",2,"device-to-host",false,[["deviceKind","enum",["unknown","radar","launcher"]],\`.
To check an implementation: \`printf '%s' "$JSON" | sha256sum | cut -c1-8\` prints the hash in
hex.

Current schema hash: **${hex32(SCHEMA_HASH)}** (${SCHEMA_HASH}). The canonical JSON it is computed from:

\`\`\`json
${canonicalSchemaJson(CATALOGUE)}
\`\`\``;
}

function goldenVectors(): string {
  return `
## Golden vectors

\`test/vectors/frames.json\` is an array of
\`{ "name", "wire", "message" }\` — \`wire\` the lowercase hex of the bytes on the wire, trailing
\`00\` included, \`message\` the decoded message as JSON (\`type\`, \`seq\`, \`flags\`, then the fields
in catalogue order; enum fields by name; f32 values as the exact double of the f32) — and
\`{ "name", "wire", "error" }\` for frames every receiver shall reject with that error code. An
implementation checks itself by decoding every \`wire\` (expecting \`message\` or \`error\`) and by
encoding every \`message\` (expecting \`wire\` exactly). \`shieldlink frames decode\` and
\`shieldlink frames encode\` do the same from the command line.`;
}

// ---------------------------------------------------------------------------------------------
// Formatting.

function wireBytes(name: (typeof MESSAGE_NAMES)[number]): number {
  const body = payloadBytes(messageSpec(name)) + HEADER_BYTES + CRC_BYTES;
  // Every body below 254 bytes gains exactly one COBS byte; the delimiter adds one more.
  if (body >= 254) return cobsEncode(new Uint8Array(body).fill(1)).length + 1;
  return body + 2;
}

function usOnLine(bytes: number): number {
  return Math.round((bytes * 10 * 1_000_000) / 921_600);
}

function cobsGroups(body: Uint8Array): { code: number; data: Uint8Array; endsWithZero: boolean }[] {
  const groups: { code: number; data: Uint8Array; endsWithZero: boolean }[] = [];
  let start = 0;
  for (;;) {
    let end = start;
    while (end < body.length && body[end] !== 0 && end - start < 254) end++;
    const endsWithZero = end < body.length && body[end] === 0;
    groups.push({ code: end - start + 1, data: body.subarray(start, end), endsWithZero });
    if (endsWithZero) start = end + 1;
    else if (end - start === 254 && end < body.length) start = end;
    else return groups;
  }
}

function directionText(spec: MessageSpec): string {
  return spec.direction === 'both'
    ? 'both ways'
    : spec.direction === 'host-to-device'
      ? 'host → device'
      : 'device → host';
}

function unitOf(field: FieldSpec): string {
  return field.kind === 'enum' || field.unit === undefined ? '' : field.unit;
}

function anchorHeading(code: number, name: string): string {
  return `${hex8(code)} ${name}`;
}

/** GitHub's heading anchor for `anchorHeading`. */
function anchor(code: number, name: string): string {
  return anchorHeading(code, name)
    .toLowerCase()
    .replace(/[^a-z0-9_ -]/g, '')
    .replace(/ /g, '-');
}

function spaced(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join(' ');
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

function hex2(value: number): string {
  return hex(value, 2);
}

function hex8(code: number): string {
  return `0x${hex(code, 2).toUpperCase()}`;
}

function u32Bytes(value: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, littleEndian);
  return bytes;
}

function hex32(value: number): string {
  return `0x${hex(value, 8)}`;
}

function ms(us: number): string {
  return (us / 1_000).toLocaleString('en-US');
}
