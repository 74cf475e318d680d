/** The ICD sections on the link itself: header, purpose, physical layer, frame format, COBS, CRC, header fields, receiver checks, data types. */
import {
  CRC_BYTES,
  FLAG_ACK_REQUESTED,
  FLAG_RETRANSMISSION,
  FRAME_ERROR_CODES,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  MAX_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
  cobsDecode,
  crc16CcittFalse,
} from '../framing/index.js';
import { SCHEMA_HASH } from '../protocol/catalogue/index.js';
import { encodeMessage } from '../protocol/codec.js';
import { EXAMPLE_MESSAGES } from '../protocol/example-messages.js';
import { MAX_SAFE_U64 } from '../protocol/field-spec.js';
import type { Message } from '../protocol/message-types.js';
import * as TIMING from '../protocol/timing-rules.js';
import { cobsGroups, hex, hex2, hex32, ms, spaced, usOnLine, wireBytes } from './format.js';
import { ERROR_CODE_MEANINGS } from './meanings.js';

export function header(): string {
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

export function purpose(): string {
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

export function physicalLayer(): string {
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

export function frameFormat(): string {
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

export function cobsSection(): string {
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

export function crcSection(): string {
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

export function headerFields(): string {
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

export function receiverChecks(): string {
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

export function dataTypes(): string {
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
