/** The ICD sections on the devices' behaviour: the radar, and the launcher's state machine and time-tagged FIRE. */
import { LAUNCHER_STATES } from '../protocol/catalogue/index.js';
import * as TIMING from '../protocol/timing-rules.js';
import { ms } from './format.js';

export function radar(): string {
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

export function launcher(): string {
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
