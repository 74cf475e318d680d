import t from 'tap';
import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION, cobsEncode } from '../../src/framing/index.js';
import { ConformanceError, RULE_CHECKS, planRules } from '../../src/conformance/index.js';
import { sequenceProblem } from '../../src/conformance/checks/frame-content-checks.js';
import { deviceRate } from '../../src/conformance/checks/session-checks.js';
import { inspectDeviceBlock } from '../../src/conformance/inspect-frame.js';
import {
  U64_TWO_POW_53,
  f32Bits,
  frameBody,
  longBody,
  overlongRun,
  shortBody,
  withBadCobs,
  withBadCrc,
  withFieldBytes,
  withFlags,
  withPayloadDelta,
  withTypeCode,
  withVersion,
} from '../../src/conformance/malformed-frames.js';
import type { ReceivedFrame } from '../../src/conformance/probe-link.js';
import { formatMs } from '../../src/conformance/format-ms.js';
import { ICD_RULES, type Message, decodeWireFrame, encodeMessage } from '../../src/protocol/index.js';

const SLEW: Message = {
  type: 'SLEW',
  seq: 9,
  flags: FLAG_ACK_REQUESTED,
  commandId: 5,
  azimuthDeg: 10,
  elevationDeg: 20,
};
const SET_MODE: Message = { type: 'RADAR_SET_MODE', seq: 3, flags: FLAG_ACK_REQUESTED, commandId: 6, mode: 'search' };
const TIME_SYNC: Message = { type: 'TIME_SYNC_REQUEST', seq: 4, flags: 0, t1HostUs: 1234 };

t.test('every rule the ICD says conformance checks has a check for each device it binds', async (t) => {
  for (const rule of ICD_RULES.filter((r) => r.checkedByConformance && r.appliesTo !== 'host')) {
    const kinds =
      rule.appliesTo === 'radar' || rule.appliesTo === 'launcher' ? [rule.appliesTo] : ['radar', 'launcher'];
    for (const kind of kinds) {
      t.ok(
        RULE_CHECKS.some((c) => c.ruleId === rule.id && c.devices.includes(kind as 'radar' | 'launcher')),
        `${rule.id} has a ${kind} check`,
      );
    }
  }
  t.same(
    RULE_CHECKS.filter((c) => !ICD_RULES.some((r) => r.id === c.ruleId)).map((c) => c.ruleId),
    [],
    'no check of a rule that does not exist',
  );
});

t.test(
  'planRules: applicable rules, ICD-CMN-001 first, ICD-LNCH-014 last, dependencies first, bad ids refused',
  async (t) => {
    const launcher = planRules('launcher').map((p) => p.rule.id);
    t.equal(launcher[0], 'ICD-CMN-001');
    t.equal(launcher[launcher.length - 1], 'ICD-LNCH-014');
    t.ok(launcher.includes('ICD-CMN-002'), "the device's schema hash is judged");
    t.notOk(
      launcher.some((id) => id.startsWith('ICD-HOST')),
      'host rules are not listed',
    );
    t.ok(launcher.indexOf('ICD-LNCH-002') < launcher.indexOf('ICD-CMN-008'), 'ICD-CMN-008 runs after the ARM it uses');
    t.ok(launcher.includes('ICD-LNCH-011'));
    t.notOk(
      launcher.some((id) => id.startsWith('ICD-RDR')),
      'no radar rule for a launcher',
    );
    t.ok(launcher.includes('ICD-FRM-006'), 'byte order is judged over the link');
    t.notOk(launcher.includes('ICD-LNCH-012'), 'a rule needing a launcher in FAULT runs only on request');
    t.same(
      planRules('launcher', ['ICD-LNCH-012']).map((p) => p.rule.id),
      ['ICD-LNCH-012'],
    );
    t.same(
      planRules('radar', ['icd-rdr-002', 'ICD-CMN-001']).map((p) => p.rule.id),
      ['ICD-CMN-001', 'ICD-RDR-002'],
      'requested rules in run order, ids case-insensitive',
    );
    t.throws(
      () => planRules('radar', ['ICD-XXX-001']),
      new ConformanceError('unknown-rule', 'unknown rule ICD-XXX-001 (rule ids look like ICD-LNCH-006)'),
    );
    t.throws(() => planRules('radar', ['ICD-LNCH-006']), {
      code: 'rule-not-applicable',
      message: /applies to launchers, not to a radar/,
    });
    t.throws(() => planRules('radar', ['ICD-HOST-001']), { code: 'rule-not-applicable' });
    t.throws(() => planRules('launcher', ['ICD-HOST-003']), {
      code: 'rule-not-applicable',
      message: /not checkable over a link/,
    });
  },
);

t.test('each malformed frame is rejected by the codec for the reason it is built for', async (t) => {
  const reject = (bytes: Uint8Array): string => {
    const result = decodeWireFrame(bytes);
    return result.ok ? 'accepted' : result.error;
  };
  t.equal(reject(encodeMessage(SLEW)), 'accepted', 'the base frame is valid');
  t.equal(reject(withBadCrc(SLEW)), 'crc');
  t.equal(reject(withBadCobs(SLEW)), 'cobs');
  t.equal(reject(withVersion(SLEW, 2)), 'version');
  t.equal(reject(withFlags(SLEW, FLAG_ACK_REQUESTED | 0x80)), 'field');
  t.equal(reject(shortBody(SLEW)), 'length');
  t.equal(reject(longBody(SLEW)), 'length');
  t.equal(reject(withPayloadDelta(SLEW, 1)), 'length');
  t.equal(reject(withPayloadDelta(SLEW, -1)), 'length');
  t.equal(reject(withTypeCode(SLEW, 0x7f)), 'unknown-type');
  t.equal(reject(withFieldBytes(SET_MODE, 'mode', [3])), 'field');
  t.equal(reject(withFieldBytes(TIME_SYNC, 't1HostUs', U64_TWO_POW_53)), 'field');
  t.equal(reject(withFieldBytes(SLEW, 'azimuthDeg', f32Bits(0x7fc00000))), 'field');
  t.equal(reject(withFieldBytes(SLEW, 'elevationDeg', f32Bits(0x7f800000))), 'field');
  t.equal(frameBody(SLEW).length, 5 + 12 + 2);
  const run = overlongRun(SLEW, 300);
  t.equal(run.indexOf(0), run.length - 1, 'one delimiter, at the very end');
});

t.test('inspectDeviceBlock names the rule each bad device frame breaks', async (t) => {
  const block = (wire: Uint8Array): Uint8Array => wire.subarray(0, wire.length - 1);
  const status: Message = {
    type: 'RADAR_STATUS',
    seq: 1,
    flags: 0,
    deviceTimeUs: 5,
    mode: 'search',
    health: 'ok',
    activeTracks: 0,
    scanPeriodUs: 1,
    maxRangeM: 1,
    lastCommandId: 0,
  };
  const ok = inspectDeviceBlock(block(encodeMessage(status)));
  t.match(ok, { ok: true, canonical: true, message: { type: 'RADAR_STATUS' } });
  t.match(inspectDeviceBlock(block(withBadCrc(status))), { ok: false, fault: { kind: 'crc' } });
  t.match(inspectDeviceBlock(block(withFlags(status, 0x10))), { ok: false, fault: { kind: 'reserved-flags' } });
  t.match(inspectDeviceBlock(block(withTypeCode(status, 0x99))), { ok: false, fault: { kind: 'unknown-type' } });
  t.match(inspectDeviceBlock(block(encodeMessage(SLEW))), { ok: false, fault: { kind: 'wrong-direction' } });
  t.match(inspectDeviceBlock(block(withPayloadDelta(status, 1))), { ok: false, fault: { kind: 'payload-size' } });
  t.match(inspectDeviceBlock(block(withFieldBytes(status, 'mode', [9]))), { ok: false, fault: { kind: 'field' } });
  // A 254-byte run of non-zero bytes encodes as 0xFF + 254 bytes; adding an empty 0x01 group is the non-canonical form.
  const canonical = cobsEncode(new Uint8Array(254).fill(7));
  t.equal(canonical.length, 255);
  t.equal(inspectDeviceBlock(Uint8Array.from([...canonical, 0x01])).ok, false, 'not a frame, but decodable COBS');
});

t.test('sequenceProblem: +1 per new frame, retransmissions repeat a used seq', async (t) => {
  const frame = (type: Message['type'], seq: number, flags = 0): ReceivedFrame => ({
    index: 0,
    atUs: 0,
    canonical: true,
    message: { type, seq, flags } as unknown as Message,
  });
  t.equal(
    sequenceProblem([frame('HEARTBEAT', 65534), frame('HEARTBEAT', 65535), frame('RADAR_STATUS', 0)]),
    undefined,
    'wraps',
  );
  t.equal(
    sequenceProblem([frame('HEARTBEAT', 4), frame('HEARTBEAT', 6)]),
    'seq went from 4 to 6 (HEARTBEAT), expected 5',
  );
  t.equal(
    sequenceProblem([
      frame('FIRE_REPORT', 10, FLAG_ACK_REQUESTED),
      frame('HEARTBEAT', 11),
      frame('FIRE_REPORT', 10, FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION),
      frame('HEARTBEAT', 12),
    ]),
    undefined,
  );
  t.equal(
    sequenceProblem([frame('HEARTBEAT', 11), frame('FIRE_REPORT', 12, FLAG_RETRANSMISSION)]),
    'retransmitted FIRE_REPORT carries seq 12, not used yet (next new seq 12)',
  );
  t.equal(
    sequenceProblem([
      frame('HEARTBEAT', 4),
      { index: 1, atUs: 0, canonical: false, fault: { kind: 'crc', detail: '' } },
      frame('HEARTBEAT', 6),
    ]),
    undefined,
    'an invalid block may hide a frame',
  );
});

t.test('deviceRate ignores samples delayed by a stalled event loop', async (t) => {
  const samples = Array.from({ length: 12 }, (_, i) => ({
    atUs: 1_000 + i * 50_000,
    deviceUs: 7_000_000 + i * 50_000,
  }));
  t.equal(deviceRate(samples), 1);
  samples[11] = { ...samples[11]!, atUs: samples[11]!.atUs + 45_000 };
  samples[0] = { ...samples[0]!, atUs: samples[0]!.atUs + 30_000 };
  t.equal(deviceRate(samples), 1, 'the least-delayed sample of each end is used');
  t.ok(
    Math.abs(deviceRate(samples.map((s) => ({ ...s, deviceUs: s.deviceUs / 1000 }))) - 0.001) < 1e-4,
    'milliseconds show',
  );
});

t.test('formatMs', async (t) => {
  t.equal(formatMs(20_000), '20 ms');
  t.equal(formatMs(1_000_000), '1000 ms');
  t.equal(formatMs(350), '0.35 ms');
  t.equal(formatMs(30_540), '30.5 ms');
  t.equal(formatMs(0), '0 ms');
});
