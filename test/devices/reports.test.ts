import t from 'tap';
import type { HostTimedConversion } from '../../src/devices/index.js';
import { fireReport, launcherStatusReport } from '../../src/devices/launcher-reports.js';
import { radarStatusReport, trackDropReport, trackReport } from '../../src/devices/radar-reports.js';
import {
  EXAMPLE_MESSAGES,
  type Message,
  type MessageName,
  decodeWireFrame,
  encodeMessage,
} from '../../src/protocol/index.js';

/** The example of a type as the host's decoder delivers it (its key order included). */
function decoded<N extends MessageName>(type: N): Message<N> {
  const example = EXAMPLE_MESSAGES.find((e) => e.message.type === type)!.message;
  const result = decodeWireFrame(encodeMessage(example), { receiving: 'device-to-host' });
  if (!result.ok) throw new Error(`example ${type} does not decode`);
  return result.message as unknown as Message<N>;
}

/** What the driver reported before the field-by-field builders: rest copy, then spreads. */
function spreadReport(message: Message, timed: HostTimedConversion, hostKey: string, extra: object): object {
  const { type: _t, seq: _s, flags: _f, ...fields } = message;
  const { hostUs, ...times } = timed;
  return { ...fields, ...times, [hostKey]: hostUs, ...extra };
}

const TIMINGS: HostTimedConversion[] = [
  { hostUs: 19_790_000.5, receivedAtHostUs: 19_800_000, timeUncertaintyUs: 3.25 },
  { hostUs: undefined, receivedAtHostUs: 19_800_000, timeUncertaintyUs: Number.POSITIVE_INFINITY },
];

t.test('reports have the fields, values and key order of the spread copies they replace', async (t) => {
  for (const timed of TIMINGS) {
    const cases: [string, object, object][] = [
      [
        'RADAR_STATUS',
        radarStatusReport(decoded('RADAR_STATUS'), timed),
        spreadReport(decoded('RADAR_STATUS'), timed, 'hostTimeUs', { quality: 'good' }),
      ],
      [
        'TRACK_REPORT',
        trackReport(decoded('TRACK_REPORT'), timed),
        spreadReport(decoded('TRACK_REPORT'), timed, 'measurementHostUs', {}),
      ],
      [
        'TRACK_DROP',
        trackDropReport(decoded('TRACK_DROP'), timed),
        spreadReport(decoded('TRACK_DROP'), timed, 'hostTimeUs', {}),
      ],
      [
        'LAUNCHER_STATUS',
        launcherStatusReport(decoded('LAUNCHER_STATUS'), timed, true),
        spreadReport(decoded('LAUNCHER_STATUS'), timed, 'hostTimeUs', { quality: 'good', safeLatched: true }),
      ],
      [
        'FIRE_REPORT',
        fireReport(decoded('FIRE_REPORT'), timed),
        spreadReport(decoded('FIRE_REPORT'), timed, 'actualHostUs', {}),
      ],
    ];
    for (const [type, report, expected] of cases) {
      t.strictSame(Object.entries(report), Object.entries(expected), `${type}, host time ${String(timed.hostUs)}`);
    }
  }
});
