import { type MessageBody, SCHEMA_HASH } from '../../protocol/index.js';
import { HEARTBEAT_PERIOD_US, HEARTBEAT_TOLERANCE_US } from '../../protocol/timing-rules.js';
import { type CheckContext, describeAnswer } from '../check-context.js';
import { formatMs } from '../format-ms.js';
import type { RuleCheck } from '../rule-check.js';

/** How long ICD-CMN-003 watches the heartbeat. */
export const HEARTBEAT_WATCH_US = 1_000_000;

/**
 * ICD-CMN-001. Runs first, before any HELLO: a command then must get NAK not-handshaken. When the
 * kit heard the device power on (its first HEARTBEAT carried heartbeatCount 0), no host can have
 * sent it HELLO, and any other answer fails the rule. A device that was on before the kit
 * connected may have been handshaken by an earlier host: the check then judges the HELLO → IDENT
 * part only and is reported skipped, saying how to judge the rest.
 */
export const cmn001Check: RuleCheck = {
  ruleId: 'ICD-CMN-001',
  title: 'HELLO is answered with IDENT; a command before HELLO gets NAK not-handshaken',
  devices: ['radar', 'launcher'],
  freshDevice: true,
  async run(ctx: CheckContext) {
    ctx.step('a command before HELLO');
    const initial = ctx.session.initialStatus;
    // Harmless either way: ARM without host heartbeat is refused; the radar's current mode changes nothing.
    const body: MessageBody =
      ctx.device === 'launcher'
        ? { type: 'ARM', commandId: ctx.newCommandId() }
        : {
            type: 'RADAR_SET_MODE',
            commandId: ctx.newCommandId(),
            mode: initial?.type === 'RADAR_STATUS' ? initial.mode : 'standby',
          };
    const before = await ctx.command(body);
    if (before.answer === undefined) {
      ctx.fail(`no answer to ${body.type} sent before HELLO (expected NAK not-handshaken; ${describeAnswer(before)})`);
    }
    const handshakeShown = before.answer.type === 'NAK' && before.answer.reason === 'not-handshaken';
    for (let i = 0; i < 2; i++) {
      ctx.step(`HELLO ${i + 1}`);
      const ident = await ctx.hello();
      if (ident.deviceKind !== ctx.device)
        ctx.fail(`IDENT says deviceKind ${ident.deviceKind}, expected ${ctx.device}`);
    }
    if (!handshakeShown && ctx.session.firstHeartbeatCount === 0) {
      ctx.fail(
        `${body.type} before any HELLO got ${describeAnswer(before)}, expected NAK not-handshaken ` +
          '(the kit heard the device power on — its first HEARTBEAT carried heartbeatCount 0 — so no host had sent it HELLO)',
      );
    }
    if (!handshakeShown) {
      ctx.skip(
        `HELLO → IDENT holds, but ${body.type} before HELLO got ${describeAnswer(before)}: the device was handshaken ` +
          'before the kit connected (or ignores the handshake); power-cycle it and run the kit again to judge',
      );
    }
  },
};

/** `0xa2ef2ce5`. */
export function schemaHashText(hash: number): string {
  return `0x${hash.toString(16).padStart(8, '0')}`;
}

/**
 * ICD-CMN-002: IDENT carries the schema hash of this document's catalogue. A device built from
 * another catalogue fails here once; every check that would command it is reported blocked on
 * this rule (CheckContext.command), as a host sends such a device no command (ICD-HOST-003).
 * Needs no known state: it sends HELLO and reads IDENT.
 */
export const cmn002Check: RuleCheck = {
  ruleId: 'ICD-CMN-002',
  title: "IDENT carries the schema hash of this document's catalogue",
  devices: ['radar', 'launcher'],
  freshDevice: true,
  async run(ctx: CheckContext) {
    ctx.step('HELLO');
    const ident = await ctx.hello();
    if (ident.schemaHash !== SCHEMA_HASH) {
      ctx.fail(
        `IDENT carries schema hash ${schemaHashText(ident.schemaHash)}, this document's is ${schemaHashText(SCHEMA_HASH)}: ` +
          'the device implements another catalogue, and a host sends it no command',
      );
    }
    ctx.note(`schema hash ${schemaHashText(ident.schemaHash)}`);
  },
};

/**
 * ICD-CMN-003: with the host silent (no heartbeat, nothing sent) the device sends HEARTBEAT every
 * 50 ms ± 10 ms — judged on its own timestamps, interval by interval, and on arrival times on
 * average — with heartbeatCount up by 1 each time.
 */
export const cmn003Check: RuleCheck = {
  ruleId: 'ICD-CMN-003',
  title: 'HEARTBEAT every 50 ms ±10 ms with the host silent, heartbeatCount +1 each',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    ctx.probe.stopHeartbeat();
    try {
      const from = ctx.probe.cursor();
      ctx.step('watching heartbeats with the host silent');
      await ctx.sleep(HEARTBEAT_WATCH_US);
      const beats = ctx.probe.messagesSince(from, 'HEARTBEAT');
      const minCount =
        Math.floor(HEARTBEAT_WATCH_US / ctx.deviceBound(HEARTBEAT_PERIOD_US + HEARTBEAT_TOLERANCE_US)) - 1;
      if (beats.length < Math.max(2, minCount)) {
        ctx.fail(
          `${beats.length} HEARTBEAT in ${formatMs(HEARTBEAT_WATCH_US)} with the host silent, expected at least ${minCount}`,
        );
      }
      // A periodic timer on absolute deadlines follows a late beat with an early-looking one: both
      // bounds get the device-stamped allowance (at most --timing-slack-ms of the measured error).
      const low = 2 * HEARTBEAT_PERIOD_US - ctx.deviceBound(HEARTBEAT_PERIOD_US + HEARTBEAT_TOLERANCE_US);
      const high = ctx.deviceBound(HEARTBEAT_PERIOD_US + HEARTBEAT_TOLERANCE_US);
      let minUs = Infinity;
      let maxUs = -Infinity;
      for (let i = 1; i < beats.length; i++) {
        const a = beats[i - 1]!.message;
        const b = beats[i]!.message;
        if (b.heartbeatCount !== (a.heartbeatCount + 1) >>> 0) {
          ctx.fail(`heartbeatCount went from ${a.heartbeatCount} to ${b.heartbeatCount}, expected +1`);
        }
        const intervalUs = b.senderTimeUs - a.senderTimeUs;
        minUs = Math.min(minUs, intervalUs);
        maxUs = Math.max(maxUs, intervalUs);
        if (intervalUs < low || intervalUs > high) {
          ctx.fail(
            `heartbeats ${a.heartbeatCount} and ${b.heartbeatCount} are ${formatMs(intervalUs)} apart in device time, expected ${formatMs(low)} to ${formatMs(high)}`,
          );
        }
      }
      const meanArrivalUs = (beats[beats.length - 1]!.atUs - beats[0]!.atUs) / (beats.length - 1);
      if (meanArrivalUs < low || meanArrivalUs > ctx.hostBound(HEARTBEAT_PERIOD_US + HEARTBEAT_TOLERANCE_US)) {
        ctx.fail(`heartbeats arrive every ${formatMs(meanArrivalUs)} on average, expected 50 ms ±10 ms`);
      }
      ctx.note(
        `${beats.length} heartbeats, mean period ${formatMs(meanArrivalUs)}, device-time intervals ${formatMs(minUs)}–${formatMs(maxUs)}`,
      );
    } finally {
      ctx.probe.startHeartbeat();
    }
  },
};

/** Device time at connection is "near 0 at power-on" when within this of what its heartbeat count suggests. */
export const POWER_ON_TIME_SLACK_US = 60_000_000;
/** Device time must advance at the host's rate within this fraction (it counts microseconds). */
export const DEVICE_RATE_TOLERANCE = 0.02;

/**
 * Device microseconds per host microsecond between the start and the end of a series, each end
 * taken at its least-delayed sample (smallest arrival − device time) among the first and last
 * third, so a stall of either event loop does not bend the estimate.
 */
export function deviceRate(samples: readonly { atUs: number; deviceUs: number }[]): number {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const leastDelayed = (part: readonly { atUs: number; deviceUs: number }[]) =>
    part.reduce((best, s) => (s.atUs - s.deviceUs < best.atUs - best.deviceUs ? s : best));
  const a = leastDelayed(samples.slice(0, third));
  const b = leastDelayed(samples.slice(samples.length - third));
  return (b.deviceUs - a.deviceUs) / (b.atUs - a.atUs);
}

/**
 * ICD-CMN-004: every device time field that stamps the moment of sending (HEARTBEAT, status,
 * IDENT, TIME_SYNC_RESPONSE t3) never decreases; device time advances in microseconds (at the
 * host's rate ±2 %); and it is near the time since power-on that the heartbeat count implies.
 */
export const cmn004Check: RuleCheck = {
  ruleId: 'ICD-CMN-004',
  title: 'device times are microseconds, near 0 at power-on, never decreasing',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    const from = ctx.probe.cursor();
    ctx.step('collecting device times');
    await ctx.hello();
    for (let i = 0; i < 3; i++) {
      await ctx.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: Math.floor(ctx.clock.nowUs()) });
      await ctx.sleep(100_000);
    }
    await ctx.sleep(500_000);
    const status = ctx.device === 'radar' ? 'RADAR_STATUS' : 'LAUNCHER_STATUS';
    const series: [string, { atUs: number; t: number }[]][] = [
      [
        'HEARTBEAT.senderTimeUs',
        ctx.probe.messagesSince(from, 'HEARTBEAT').map((r) => ({ atUs: r.atUs, t: r.message.senderTimeUs })),
      ],
      [
        `${status}.deviceTimeUs`,
        ctx.probe.messagesSince(from, status).map((r) => ({ atUs: r.atUs, t: r.message.deviceTimeUs })),
      ],
      [
        'IDENT.deviceTimeUs',
        ctx.probe.messagesSince(from, 'IDENT').map((r) => ({ atUs: r.atUs, t: r.message.deviceTimeUs })),
      ],
      [
        'TIME_SYNC_RESPONSE.t3DeviceUs',
        ctx.probe.messagesSince(from, 'TIME_SYNC_RESPONSE').map((r) => ({ atUs: r.atUs, t: r.message.t3DeviceUs })),
      ],
    ];
    for (const [name, values] of series) {
      for (let i = 1; i < values.length; i++) {
        if (values[i]!.t < values[i - 1]!.t) ctx.fail(`${name} went back from ${values[i - 1]!.t} to ${values[i]!.t}`);
      }
    }
    const beats = ctx.probe.messagesSince(from, 'HEARTBEAT');
    if (beats.length < 6) ctx.fail(`only ${beats.length} HEARTBEAT in the 0.8 s spent collecting device times`);
    const rate = deviceRate(beats.map((b) => ({ atUs: b.atUs, deviceUs: b.message.senderTimeUs })));
    // The rate rests on arrival times: a stall of the kit's event loop shifts an end by its length.
    // Judged as a deviation over the span, widened only by the measured scheduling error (and a
    // check whose timers ran later than that deviation limit is inconclusive).
    const spanUs = beats[beats.length - 1]!.atUs - beats[0]!.atUs;
    const deviationBoundUs = ctx.hostBound(DEVICE_RATE_TOLERANCE * spanUs);
    if (!(Math.abs(rate - 1) * spanUs <= deviationBoundUs)) {
      ctx.fail(`device time advances ${rate.toPrecision(4)} units per host microsecond, expected 1 (microseconds)`);
    }
    const last = beats[beats.length - 1]!;
    const sincePowerOnUs = last.message.heartbeatCount * HEARTBEAT_PERIOD_US;
    const limitUs = sincePowerOnUs * 1.25 + POWER_ON_TIME_SLACK_US;
    if (last.message.senderTimeUs > limitUs) {
      ctx.fail(
        `device time ${(last.message.senderTimeUs / 1e6).toFixed(3)} s is far from the ~${(sincePowerOnUs / 1e6).toFixed(1)} s since power-on that heartbeatCount ${last.message.heartbeatCount} implies`,
      );
    }
    ctx.note(
      `device time ${(last.message.senderTimeUs / 1e6).toFixed(3)} s, ~${(sincePowerOnUs / 1e6).toFixed(1)} s since power-on`,
    );
  },
};
