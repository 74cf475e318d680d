/** The ICD sections on the session: sequence numbers, device time, handshake and heartbeats, ACK/NAK, command ids, time synchronisation. */
import { MESSAGE_NAMES, messageSpec } from '../protocol/catalogue/index.js';
import * as TIMING from '../protocol/timing-rules.js';
import { ms, usOnLine, wireBytes } from './format.js';

export function sequenceNumbers(): string {
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

export function deviceTime(): string {
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

export function session(): string {
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
  not anyone listens, and whether or not a handshake took place; \`heartbeatCount\` is 0 in the
  first heartbeat after power-on, increases by 1 per heartbeat and wraps at 2^32 (ICD-CMN-003):
  a conformance kit that hears count 0 knows it saw the device power on. The host considers a link lost after
  3 heartbeat periods without any valid frame: it then sends no command and drops every pending
  command (ICD-HOST-001). The launcher's own watchdog is described in [Launcher](#12-launcher).
- **Handshake.** The host sends HELLO when a link opens and after every link loss, repeating it
  every ${ms(TIMING.HELLO_RETRY_US)} ms until IDENT arrives. A device answers every HELLO with IDENT, whatever
  the schema hash, so the host can report a mismatch (ICD-CMN-001). Each HELLO starts a new
  session. A new session clears nothing on the device: the launcher's state, its watchdog latch,
  a pending FIRE, the commands it remembers (ICD-CMN-008) and its executed FIRE ids
  (ICD-LNCH-008) stay as they were; only a power cycle clears them.
- **Schema hash.** HELLO carries the host's schema hash and IDENT the device's: the hash of
  the catalogue it implements, for a device of this document the one in its header (ICD-CMN-002).
  When they differ, the host sends that device no command and reports the mismatch
  (ICD-HOST-003); it keeps reading heartbeats and status for diagnosis. The device likewise
  fails closed: after a HELLO with a hash other than its own it answers IDENT (with its own hash)
  and refuses every command with NAK schema-mismatch — SAFE to a launcher excepted — until a
  HELLO with its own hash (ICD-CMN-009). How the hash is computed: [Schema hash](#schema-hash).
- **Before the handshake** a device sends heartbeats and periodic status but answers every
  command with NAK not-handshaken (ICD-CMN-001), except SAFE, which a launcher always accepts
  (ICD-LNCH-003). The launcher's watchdog runs from power-on: with no host HEARTBEAT within
  ${ms(TIMING.LAUNCHER_WATCHDOG_US)} ms of power-on it trips, so a launcher that has waited for a host shows
  \`watchdog: tripped\` and answers FIRE with NAK watchdog-latched until its first accepted ARM
  (ICD-LNCH-004).`;
}

export function acknowledgements(): string {
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

export function commandIds(): string {
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

export function timeSync(): string {
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
