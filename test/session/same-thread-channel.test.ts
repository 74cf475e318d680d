import t, { type Test } from 'tap';
import type { TickContext, TickHandler } from '../../src/control/realtime/tick-handler.js';
import type { ControlInput } from '../../src/control/index.js';
import controlTickHandler from '../../src/session/control-tick-handler.js';
import { SameThreadChannel } from '../../src/session/same-thread-channel.js';
import {
  type BusyTickRecord,
  busyTickJson,
  type CoreSnapshot,
  decodeTickOutput,
  encodeBusyTick,
  encodeJsonRecord,
  isIdleTick,
  isIdleTickBytes,
  isSnapshot,
} from '../../src/session/tick-record-codec.js';
import { launcherStatus, measurement, operator, testConfig } from '../control/fixtures.js';

const TICK_US = 10_000;
const TICKS = 600;

/** A hostile closing on L1, two radars' reports every 100 ms, L1 armed, FREE at 1 s. */
function inputsAt(nowUs: number): ControlInput[] {
  const inputs: ControlInput[] = [];
  if (nowUs % 100_000 === 0) {
    const truth = { eastM: 30_000, northM: 1_000, upM: 6_000, eastMps: -400, northMps: 0, upMps: 0 };
    inputs.push(measurement('R1', 7, nowUs, truth), launcherStatus('L1', nowUs), launcherStatus('L2', nowUs));
  }
  if (nowUs === 1_000_000) inputs.push(operator(nowUs, { verb: 'set-weapons-control', status: 'free' }));
  return inputs;
}

/** The inputs of every tick, built once (the fixtures number inputs globally). */
const INPUTS = Array.from({ length: TICKS }, (_, index) => inputsAt(index * TICK_US));

/**
 * Run the control handler for TICKS ticks, its inputs as JSON bytes or (with a channel) as
 * markers plus texts, as the session sends them; returns every output as JSON text, and for busy
 * ticks the text the recorder would splice.
 */
async function run(
  t: Test,
  channel: SameThreadChannel | undefined,
): Promise<{ outputs: string[]; busyTexts: string[]; markers: number }> {
  const handler: TickHandler = await controlTickHandler({
    config: testConfig({ tickPeriodUs: TICK_US }),
    snapshotPeriodUs: 200_000,
    ...(channel === undefined ? {} : { sameThread: channel }),
  });
  const outputs: string[] = [];
  const busyTexts: string[] = [];
  let markers = 0;
  // As the ring: outputs are copied during the tick and delivered after it.
  const ring: Uint8Array[] = [];
  const output = (bytes: Uint8Array): boolean => ring.push(bytes.slice()) > 0;
  for (let index = 0; index < TICKS; index++) {
    const nowUs = index * TICK_US;
    const records = INPUTS[index]!.map((input) => {
      if (channel === undefined) return encodeJsonRecord(input);
      channel.putInput(JSON.stringify(input));
      return channel.marker;
    });
    const context: TickContext = { index, deadlineUs: nowUs, periodUs: TICK_US, missedBefore: 0, ioStalled: false };
    handler(nowUs, records, output, context);
    for (const bytes of ring.splice(0)) {
      if (channel !== undefined && SameThreadChannel.isMarker(bytes)) {
        markers++;
        const value = channel.takeOutput();
        if ('snapshot' in value) outputs.push(JSON.stringify(value));
        else {
          outputs.push(JSON.stringify(value.busy));
          busyTexts.push(busyTickJson(value.busy, value.inputTexts));
        }
      } else {
        if (!isIdleTickBytes(bytes) && bytes[0] !== 0x7b) t.fail('neither idle nor JSON');
        const record = decodeTickOutput(bytes);
        outputs.push(JSON.stringify(record));
        if (!isIdleTick(record) && !isSnapshot(record)) {
          const { tick, nowUs, inputs, commands, events } = record;
          busyTexts.push(new TextDecoder().decode(encodeBusyTick(tick, nowUs, inputs, commands, events)));
        }
      }
    }
  }
  t.same(channel?.pending ?? { inputs: 0, outputs: 0 }, { inputs: 0, outputs: 0 }, 'every value taken');
  return { outputs, busyTexts, markers };
}

t.test('inputs and outputs passed beside the rings equal the JSON path, tick for tick', async (t) => {
  const viaJson = await run(t, undefined);
  const viaChannel = await run(t, new SameThreadChannel());
  t.same(viaChannel.outputs, viaJson.outputs, 'identical output sequence');
  t.same(viaChannel.busyTexts, viaJson.busyTexts, 'the recorder would write the same bytes');
  const busy = viaJson.outputs
    .map((text) => JSON.parse(text) as BusyTickRecord | CoreSnapshot | [number, number])
    .filter((r) => !Array.isArray(r));
  t.equal(viaChannel.markers, busy.length, 'one marker per busy tick or snapshot');
  t.ok(
    busy.some((r) => 'commands' in r && r.commands.some((c) => c.kind === 'fire')),
    'the episode reaches a FIRE, so commands and events cross',
  );
});

t.test('a marker without a value is a contract breach', async (t) => {
  const channel = new SameThreadChannel();
  t.throws(() => channel.takeOutput(), /output marker without a value/);
  t.throws(() => channel.takeInput(), /input marker without a value/);
  t.ok(SameThreadChannel.isMarker(channel.marker));
  t.notOk(SameThreadChannel.isMarker(Uint8Array.of(0xfe, 0)));
  t.notOk(SameThreadChannel.isMarker(encodeJsonRecord({})));
});
