import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../framing/index.js';
import { type Message, RADAR_MODES, SCHEMA_HASH, encodeMessage } from '../../protocol/index.js';
import type { CheckContext } from '../check-context.js';
import { currentStatus, probeCommand } from '../device-state.js';
import { type MalformedCase, echoesSeq, expectDiscarded, isType } from '../expect-discarded.js';
import {
  U64_TWO_POW_53,
  f32Bits,
  shortBody,
  withBadCobs,
  withBadCrc,
  withFieldBytes,
  withFlags,
  withPayloadDelta,
  withTypeCode,
  withVersion,
  overlongRun,
} from '../malformed-frames.js';
import { armLauncher, commandSafe } from '../launcher-ops.js';
import type { ReceivedFrame } from '../probe-link.js';
import type { RuleCheck } from '../rule-check.js';
import { malformedFrameCheck } from './malformed-frame-check.js';

const NAN_F32 = 0x7fc00000;
const INFINITY_F32 = 0x7f800000;

/**
 * ICD-FRM-008: wrong payload size, undefined enum code, u64 over 2^53-1, NaN or infinite float
 * are discarded. Each case is a frame the device would answer if it decoded it: a command (ACK
 * or NAK), TIME_SYNC_REQUEST (TIME_SYNC_RESPONSE), HELLO (IDENT). A FIRE case is sent only while
 * the launcher is SAFE, where even a device that decoded it must refuse it.
 */
export const frm008Check = malformedFrameCheck({
  ruleId: 'ICD-FRM-008',
  title: 'wrong payload size, undefined enum code, u64 over 2^53-1, NaN or infinite float are discarded',
  outputFaults: ['payload-size', 'field'],
  cases: (ctx, command) => {
    const cases: MalformedCase[] = [];
    const add = (label: string, message: Message, bytes: (m: Message) => Uint8Array): void => {
      const answeredBy =
        message.type === 'TIME_SYNC_REQUEST'
          ? isType('TIME_SYNC_RESPONSE')
          : message.type === 'HELLO'
            ? isType('IDENT')
            : echoesSeq(message.seq);
      cases.push({ label, bytes: bytes(message), answeredBy });
    };
    const timeSync = (): Message => ({
      type: 'TIME_SYNC_REQUEST',
      seq: ctx.probe.takeSeq(),
      flags: 0,
      t1HostUs: Math.floor(ctx.clock.nowUs()),
    });
    add('a payload one byte long', command(), (m) => withPayloadDelta(m, 1));
    add('a payload one byte short', command(), (m) => withPayloadDelta(m, -1));
    add('a TIME_SYNC_REQUEST payload one byte long', timeSync(), (m) => withPayloadDelta(m, 1));
    add('TIME_SYNC_REQUEST.t1HostUs = 2^53', timeSync(), (m) => withFieldBytes(m, 't1HostUs', U64_TWO_POW_53));
    add(
      'HELLO.hostTimeUs = 2^53',
      { type: 'HELLO', seq: ctx.probe.takeSeq(), flags: 0, schemaHash: SCHEMA_HASH, hostTimeUs: 0 },
      (m) => withFieldBytes(m, 'hostTimeUs', U64_TWO_POW_53),
    );
    if (ctx.device === 'radar') {
      for (const code of [RADAR_MODES.length, 0xff]) {
        add(`RADAR_SET_MODE.mode = ${code}`, command(), (m) => withFieldBytes(m, 'mode', [code]));
      }
    } else {
      add('SLEW.azimuthDeg = NaN', command(), (m) => withFieldBytes(m, 'azimuthDeg', f32Bits(NAN_F32)));
      add('SLEW.elevationDeg = +Infinity', command(), (m) => withFieldBytes(m, 'elevationDeg', f32Bits(INFINITY_F32)));
      const radarSetMode = (): Message => ({
        type: 'RADAR_SET_MODE',
        seq: ctx.probe.takeSeq(),
        flags: FLAG_ACK_REQUESTED,
        commandId: ctx.newCommandId(),
        mode: 'standby',
      });
      const fire = (): Message => ({
        type: 'FIRE',
        seq: ctx.probe.takeSeq(),
        flags: FLAG_ACK_REQUESTED,
        commandId: ctx.newCommandId(),
        trackId: 0,
        executeAtUs: 0,
        aimEastM: ctx.aimPoint.eastM,
        aimNorthM: ctx.aimPoint.northM,
        aimUpM: ctx.aimPoint.upM,
      });
      add('FIRE.executeAtUs = 2^53 (launcher SAFE)', fire(), (m) => withFieldBytes(m, 'executeAtUs', U64_TWO_POW_53));
      add('FIRE.aimEastM = NaN (launcher SAFE)', fire(), (m) => withFieldBytes(m, 'aimEastM', f32Bits(NAN_F32)));
      // No launcher command has an enum field; the catalogue's checks come before the device
      // kind, so a RADAR_SET_MODE with an undefined mode is discarded, not refused unsupported.
      for (const code of [RADAR_MODES.length, 0xff]) {
        add(`RADAR_SET_MODE.mode = ${code} (to a launcher)`, radarSetMode(), (m) => withFieldBytes(m, 'mode', [code]));
      }
    }
    return cases;
  },
});

/**
 * ICD-FRM-009: the device's seq goes up by 1 per new frame; a retransmission (a FIRE_REPORT the
 * kit leaves unanswered once) repeats the seq of its original with the retransmission flag.
 */
export const frm009Check: RuleCheck = {
  ruleId: 'ICD-FRM-009',
  title: 'device seq increases by 1 per new frame; a retransmission repeats its seq with the flag',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    const from = ctx.probe.cursor();
    ctx.step('watching the device sequence numbers');
    await ctx.sleep(1_000_000);
    const problem = sequenceProblem(ctx.probe.since(from));
    if (problem !== undefined) ctx.fail(problem);
    ctx.note(
      `${ctx.probe.since(from).length} frames in sequence; the whole run is audited too (retransmitted FIRE_REPORTs included)`,
    );
  },
};

/** The first break of the rule in a run of received frames, or undefined. */
export function sequenceProblem(frames: readonly ReceivedFrame[]): string | undefined {
  let expected: number | undefined;
  for (const frame of frames) {
    const m = frame.message;
    if (m === undefined) {
      expected = undefined; // an invalid block may have been a frame: its seq is unknown
      continue;
    }
    if ((m.flags & FLAG_RETRANSMISSION) !== 0) {
      // A retransmission repeats a seq already used: at most half the seq space behind the next new one.
      const back = expected === undefined ? 1 : (expected - m.seq) & 0xffff;
      if (back === 0 || back > 0x8000) {
        return `retransmitted ${m.type} carries seq ${m.seq}, not used yet (next new seq ${expected})`;
      }
      continue;
    }
    if (expected !== undefined && m.seq !== expected) {
      return `seq went from ${(expected - 1) & 0xffff} to ${m.seq} (${m.type}), expected ${expected}`;
    }
    expected = (m.seq + 1) & 0xffff;
  }
  return undefined;
}

/**
 * ICD-FRM-010: a burst of frames each failing one check gets no answer and changes nothing — on
 * a launcher while ARMED, with the broken frames built on SAFE, so an executed one would show.
 */
export const frm010Check: RuleCheck = {
  ruleId: 'ICD-FRM-010',
  title: 'malformed frames get no answer and change no state',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    if (ctx.device === 'launcher') await armLauncher(ctx);
    const status = await currentStatus(ctx);
    const safe = (): Message => ({
      type: 'SAFE',
      seq: ctx.probe.takeSeq(),
      flags: FLAG_ACK_REQUESTED,
      commandId: ctx.newCommandId(),
    });
    const command = ctx.device === 'launcher' ? safe : () => probeCommand(ctx, status);
    const make = (label: string, bytes: (m: Message) => Uint8Array): MalformedCase => {
      const message = command();
      return { label, bytes: bytes(message), answeredBy: echoesSeq(message.seq) };
    };
    await expectDiscarded(
      ctx,
      [
        make('a bad CRC', withBadCrc),
        make('bad COBS', withBadCobs),
        make('version 2', (m) => withVersion(m, 2)),
        make('reserved flag 0x80', (m) => withFlags(m, FLAG_ACK_REQUESTED | 0x80)),
        make('a 6-byte body', shortBody),
        make('a payload one byte long', (m) => withPayloadDelta(m, 1)),
        make('unknown type 0x7f', (m) => withTypeCode(m, 0x7f)),
        make('an over-long run', (m) => overlongRun(m, 300)),
      ],
      { burst: true },
    );
    ctx.note('rejection counters are not observable over the link');
    if (ctx.device === 'launcher') await commandSafe(ctx);
  },
};

/** ICD-FRM-011: unknown types and device-to-host types sent to the device are discarded. */
export const frm011Check = malformedFrameCheck({
  ruleId: 'ICD-FRM-011',
  title: 'unknown types and types not sent to a device are discarded; the device sends only its own',
  outputFaults: ['unknown-type', 'wrong-direction'],
  cases: (ctx, command) => {
    const cases: MalformedCase[] = [0x00, 0x7f, 0xff].map((code) => {
      const message = command();
      return {
        label: `unknown type 0x${code.toString(16).padStart(2, '0')}`,
        bytes: withTypeCode(message, code),
        answeredBy: echoesSeq(message.seq),
      };
    });
    const flags = FLAG_ACK_REQUESTED;
    const wrongWay: Message[] = [
      {
        type: 'IDENT',
        seq: ctx.probe.takeSeq(),
        flags,
        deviceKind: 'unknown',
        deviceSerial: 0,
        firmwareMajor: 0,
        firmwareMinor: 0,
        firmwarePatch: 0,
        schemaHash: SCHEMA_HASH,
        deviceTimeUs: 0,
      },
      { type: 'TIME_SYNC_RESPONSE', seq: ctx.probe.takeSeq(), flags, t1HostUs: 0, t2DeviceUs: 0, t3DeviceUs: 0 },
      {
        type: 'FIRE_REPORT',
        seq: ctx.probe.takeSeq(),
        flags,
        fireCommandId: ctx.newCommandId(),
        result: 'aborted',
        actualTimeUs: 0,
        roundsRemaining: 0,
      },
      ctx.device === 'radar'
        ? {
            type: 'RADAR_STATUS',
            seq: ctx.probe.takeSeq(),
            flags,
            deviceTimeUs: 0,
            mode: 'standby',
            health: 'ok',
            activeTracks: 0,
            scanPeriodUs: 0,
            maxRangeM: 0,
            lastCommandId: 0,
          }
        : {
            type: 'LAUNCHER_STATUS',
            seq: ctx.probe.takeSeq(),
            flags,
            deviceTimeUs: 0,
            state: 'safe',
            roundsReady: 0,
            azimuthDeg: 0,
            elevationDeg: 0,
            watchdog: 'ok',
            pendingFireCommandId: 0,
            lastCommandId: 0,
          },
    ];
    for (const message of wrongWay) {
      cases.push({
        label: `${message.type} (device-to-host) asking for an answer`,
        bytes: encodeMessage(message),
        answeredBy: echoesSeq(message.seq),
      });
    }
    return cases;
  },
});
