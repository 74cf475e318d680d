import { FLAG_ACK_REQUESTED } from '../../framing/index.js';
import type { Message } from '../../protocol/index.js';
import { type MalformedCase, echoesSeq, isType } from '../expect-discarded.js';
import { longBody, shortBody, withBadCrc, withFlags, withVersion } from '../malformed-frames.js';
import { malformedFrameCheck } from './malformed-frame-check.js';

/** ICD-FRM-003: version 1 only; other versions discarded. */
export const frm003Check = malformedFrameCheck({
  ruleId: 'ICD-FRM-003',
  title: 'version byte is 1; frames with another version are discarded',
  outputFaults: ['version'],
  cases: (_ctx, command) =>
    [0, 2, 0xff].map((version) => {
      const message = command();
      return { label: `version ${version}`, bytes: withVersion(message, version), answeredBy: echoesSeq(message.seq) };
    }),
});

/** ICD-FRM-004: bodies of 7..256 bytes only. */
export const frm004Check = malformedFrameCheck({
  ruleId: 'ICD-FRM-004',
  title: 'bodies shorter than 7 or longer than 256 bytes are discarded',
  outputFaults: ['body-size'],
  cases: (_ctx, command) => {
    const short = command();
    const long = command();
    return [
      { label: 'a 6-byte body', bytes: shortBody(short), answeredBy: echoesSeq(short.seq) },
      { label: 'a 257-byte body', bytes: longBody(long), answeredBy: echoesSeq(long.seq) },
    ];
  },
});

/** ICD-FRM-005: CRC-16/CCITT-FALSE on every frame; a bad CRC is discarded. */
export const frm005Check = malformedFrameCheck({
  ruleId: 'ICD-FRM-005',
  title: 'every frame carries a valid CRC-16/CCITT-FALSE; a bad CRC is discarded',
  outputFaults: ['crc'],
  cases: (ctx, command) => {
    const message = command();
    const t1 = Math.floor(ctx.clock.nowUs());
    return [
      { label: 'a bad CRC', bytes: withBadCrc(message), answeredBy: echoesSeq(message.seq) },
      {
        label: 'a bad CRC on TIME_SYNC_REQUEST',
        bytes: withBadCrc({ type: 'TIME_SYNC_REQUEST', seq: ctx.probe.takeSeq(), flags: 0, t1HostUs: t1 }),
        answeredBy: isType('TIME_SYNC_RESPONSE'),
      },
    ];
  },
});

/**
 * ICD-FRM-007: reserved flag bits are 0 on the wire, a frame with one set is discarded; the
 * ACK-requested flag matches the type: a command without it (a launcher: ARM, which would show in
 * the state; a radar: a mode change) and a TIME_SYNC_REQUEST with it are discarded — no answer,
 * no effect.
 */
export const frm007Check = malformedFrameCheck({
  ruleId: 'ICD-FRM-007',
  title: 'reserved flag bits are sent 0; a frame with one set, or with an ACK flag not matching its type, is discarded',
  outputFaults: ['reserved-flags', 'ack-flag'],
  cases: (ctx, command) => {
    const cases: MalformedCase[] = [0x04, 0x80].map((bit) => {
      const message = command();
      return {
        label: `reserved flag bit 0x${bit.toString(16).padStart(2, '0')}`,
        bytes: withFlags(message, FLAG_ACK_REQUESTED | bit),
        answeredBy: echoesSeq(message.seq),
      };
    });
    const unflagged: Message =
      ctx.device === 'launcher'
        ? { type: 'ARM', seq: ctx.probe.takeSeq(), flags: 0, commandId: ctx.newCommandId() }
        : { ...command(), flags: 0 };
    cases.push({
      label: `${unflagged.type} without the ACK-requested flag`,
      bytes: withFlags(unflagged, 0),
      answeredBy: echoesSeq(unflagged.seq),
    });
    const timeSync: Message = {
      type: 'TIME_SYNC_REQUEST',
      seq: ctx.probe.takeSeq(),
      flags: FLAG_ACK_REQUESTED,
      t1HostUs: Math.floor(ctx.clock.nowUs()),
    };
    cases.push({
      label: 'TIME_SYNC_REQUEST with the ACK-requested flag',
      bytes: withFlags(timeSync, FLAG_ACK_REQUESTED),
      answeredBy: (f) => isType('TIME_SYNC_RESPONSE')(f) || echoesSeq(timeSync.seq)(f),
    });
    return cases;
  },
});
