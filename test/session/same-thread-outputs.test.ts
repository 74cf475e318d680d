import t, { type Test } from 'tap';
import type { TickContext, TickHandler } from '../../src/control/realtime/tick-handler.js';
import type { ControlInput } from '../../src/control/index.js';
import controlTickHandler from '../../src/session/control-tick-handler.js';
import { SameThreadOutputs } from '../../src/session/same-thread-outputs.js';
import {
  type BusyTickRecord,
  type CoreSnapshot,
  decodeTickOutput,
  encodeJsonRecord,
  isIdleTickBytes,
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

/** The encoded inputs of every tick, built once (the fixtures number inputs globally). */
const INPUT_RECORDS = Array.from({ length: TICKS }, (_, index) =>
  inputsAt(index * TICK_US).map((input) => encodeJsonRecord(input)),
);

/** Run the control handler for TICKS ticks; returns every output, decoded or taken, as JSON text. */
async function run(
  t: Test,
  sameThread: SameThreadOutputs | undefined,
): Promise<{ outputs: string[]; markers: number }> {
  const handler: TickHandler = await controlTickHandler({
    config: testConfig({ tickPeriodUs: TICK_US }),
    snapshotPeriodUs: 200_000,
    ...(sameThread === undefined ? {} : { sameThread }),
  });
  const outputs: string[] = [];
  let markers = 0;
  // As the ring: outputs are copied during the tick and delivered after it.
  const ring: Uint8Array[] = [];
  const output = (bytes: Uint8Array): boolean => ring.push(bytes.slice()) > 0;
  for (let index = 0; index < TICKS; index++) {
    const nowUs = index * TICK_US;
    const records = INPUT_RECORDS[index]!;
    const context: TickContext = { index, deadlineUs: nowUs, periodUs: TICK_US, missedBefore: 0, ioStalled: false };
    handler(nowUs, records, output, context);
    for (const bytes of ring.splice(0)) {
      if (sameThread !== undefined && SameThreadOutputs.isMarker(bytes)) {
        markers++;
        outputs.push(JSON.stringify(sameThread.take()));
      } else {
        if (!isIdleTickBytes(bytes) && bytes[0] !== 0x7b) t.fail('neither idle nor JSON');
        outputs.push(JSON.stringify(decodeTickOutput(bytes)));
      }
    }
  }
  return { outputs, markers };
}

t.test('outputs passed by reference equal the JSON path, tick for tick', async (t) => {
  const viaJson = await run(t, undefined);
  const sameThread = new SameThreadOutputs();
  const viaReference = await run(t, sameThread);
  t.same(viaReference.outputs, viaJson.outputs, 'identical output sequence');
  t.equal(sameThread.size, 0, 'every value taken');
  const busy = viaJson.outputs
    .map((text) => JSON.parse(text) as BusyTickRecord | CoreSnapshot | [number, number])
    .filter((r) => !Array.isArray(r));
  t.equal(viaReference.markers, busy.length, 'one marker per busy tick or snapshot');
  t.ok(
    busy.some((r) => 'commands' in r && r.commands.some((c) => c.kind === 'fire')),
    'the episode reaches a FIRE, so commands and events cross',
  );
});

t.test('a marker without a value is a contract breach', async (t) => {
  const values = new SameThreadOutputs();
  t.throws(() => values.take(), /without a value/);
  t.ok(SameThreadOutputs.isMarker(values.marker));
  t.notOk(SameThreadOutputs.isMarker(Uint8Array.of(0xfe, 0)));
  t.notOk(SameThreadOutputs.isMarker(encodeJsonRecord({})));
});
