import type { MessageSpec } from '../field-spec.js';

export const LAUNCHER_STATES = ['safe', 'arming', 'armed', 'firing', 'fault'] as const;
export const WATCHDOG_STATES = ['ok', 'tripped'] as const;
export const FIRE_RESULTS = ['launched', 'aborted', 'misfire'] as const;

/** Launcher controller messages. Angles: azimuth clockwise from north, elevation above horizon. */
export const LAUNCHER_MESSAGES = {
  LAUNCHER_STATUS: {
    code: 0x40,
    family: 'launcher',
    direction: 'device-to-host',
    doc: 'Launcher state summary.',
    sentWhen:
      'Every 100 ms (never more than 105 ms apart) and within 20 ms of a change of state, watchdog, roundsReady or pendingFireCommandId (ICD-LNCH-001).',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'deviceTimeUs', kind: 'u64', unit: 'us', doc: 'Device time of this status.' },
      { name: 'state', kind: 'enum', values: LAUNCHER_STATES, doc: 'Launcher state (ICD-LNCH-001).' },
      { name: 'roundsReady', kind: 'u8', doc: 'Interceptors ready to launch.' },
      { name: 'azimuthDeg', kind: 'f32', unit: 'deg', doc: 'Current azimuth.' },
      { name: 'elevationDeg', kind: 'f32', unit: 'deg', doc: 'Current elevation.' },
      {
        name: 'watchdog',
        kind: 'enum',
        values: WATCHDOG_STATES,
        doc: 'Heartbeat watchdog; tripped latches until ARM.',
      },
      { name: 'pendingFireCommandId', kind: 'u32', doc: 'FIRE command waiting for its execute-at time (0 when none).' },
      { name: 'lastCommandId', kind: 'u32', doc: 'Last command id executed (0 when none).' },
    ],
  },
  ARM: {
    code: 0x41,
    family: 'launcher',
    direction: 'host-to-device',
    doc: 'SAFE → ARMING → ARMED. Refused without a live host heartbeat. Clears a latched watchdog.',
    sentWhen: 'On an authorized operator command.',
    reply: 'ACK or NAK',
    acknowledged: true,
    fields: [{ name: 'commandId', kind: 'u32', doc: 'Host command id.' }],
  },
  SAFE: {
    code: 0x42,
    family: 'launcher',
    direction: 'host-to-device',
    doc: 'Any state → SAFE at once; cancels a pending FIRE. Always accepted.',
    sentWhen: 'On command, on any interlock failure, on host shutdown.',
    reply: 'ACK',
    acknowledged: true,
    fields: [{ name: 'commandId', kind: 'u32', doc: 'Host command id.' }],
  },
  SLEW: {
    code: 0x43,
    family: 'launcher',
    direction: 'host-to-device',
    doc: 'Points the launcher; it moves at its slew rate.',
    sentWhen: 'When the host pre-positions for a planned engagement.',
    reply: 'ACK or NAK',
    acknowledged: true,
    fields: [
      { name: 'commandId', kind: 'u32', doc: 'Host command id.' },
      { name: 'azimuthDeg', kind: 'f32', unit: 'deg', doc: 'Target azimuth, 0..360.' },
      { name: 'elevationDeg', kind: 'f32', unit: 'deg', doc: 'Target elevation, 0..90.' },
    ],
  },
  FIRE: {
    code: 0x44,
    family: 'launcher',
    direction: 'host-to-device',
    doc: 'Launches one interceptor at the aim point at execute-at time (launcher clock).',
    sentWhen: 'When an engagement is planned and every interlock holds.',
    reply: 'ACK or NAK; FIRE_REPORT when executed or aborted',
    acknowledged: true,
    fields: [
      { name: 'commandId', kind: 'u32', doc: 'Host command id; a repeated id is refused and never executes twice.' },
      { name: 'trackId', kind: 'u32', doc: 'Host track engaged (for logs).' },
      { name: 'executeAtUs', kind: 'u64', unit: 'us', doc: 'Launch instant in the launcher clock.' },
      { name: 'aimEastM', kind: 'f32', unit: 'm', doc: 'Predicted intercept point, east.' },
      { name: 'aimNorthM', kind: 'f32', unit: 'm', doc: 'Predicted intercept point, north.' },
      { name: 'aimUpM', kind: 'f32', unit: 'm', doc: 'Predicted intercept point, up.' },
    ],
  },
  ABORT: {
    code: 0x45,
    family: 'launcher',
    direction: 'host-to-device',
    doc: 'Cancels a pending FIRE before its execute-at time. The launcher stays ARMED.',
    sentWhen: 'When the host re-plans or an operator aborts.',
    reply: 'ACK or NAK; FIRE_REPORT aborted for the cancelled FIRE',
    acknowledged: true,
    fields: [
      { name: 'commandId', kind: 'u32', doc: 'Host command id of this ABORT.' },
      { name: 'fireCommandId', kind: 'u32', doc: 'Command id of the FIRE to cancel.' },
    ],
  },
  FIRE_REPORT: {
    code: 0x46,
    family: 'launcher',
    direction: 'device-to-host',
    doc: 'What became of a FIRE.',
    sentWhen:
      'Within 20 ms of a FIRE launching, misfiring or being aborted; repeated at most 200 ms apart until the host answers ACK or NAK (ICD-LNCH-015).',
    reply: 'ACK or NAK echoing fireCommandId as the command id (either ends the repetition)',
    acknowledged: true,
    fields: [
      { name: 'fireCommandId', kind: 'u32', doc: 'Command id of the FIRE.' },
      { name: 'result', kind: 'enum', values: FIRE_RESULTS, doc: 'Outcome.' },
      { name: 'actualTimeUs', kind: 'u64', unit: 'us', doc: 'Launcher time of the launch (or of the abort).' },
      { name: 'roundsRemaining', kind: 'u8', doc: 'Rounds ready after this event.' },
    ],
  },
} as const satisfies Record<string, MessageSpec>;
