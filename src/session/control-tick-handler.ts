import {
  type ControlConfig,
  type ControlInput,
  compareControlInputs,
  createControlState,
  step,
} from '../control/index.js';
import { defineTickHandler } from '../control/realtime/tick-handler.js';
import { type CoreSnapshot, decodeJsonRecord, encodeIdleTick, encodeJsonRecord } from './tick-record-codec.js';

/** Data the tick loop passes to this module (structured-clonable: it crosses to the worker). */
export interface ControlTickHandlerData {
  readonly config: ControlConfig;
  /** How often to emit a CoreSnapshot (default 200 000 us; 0 = never). */
  readonly snapshotPeriodUs?: number;
}

/**
 * The control core as a tick handler: the same module runs in the real-time worker and in the
 * virtual-time driver. Per tick: decode the inputs pushed since the last tick, step the core,
 * and emit one output record — the busy tick with its inputs (sorted as the core saw them),
 * commands and events, or `[tick, nowUs]` for an idle tick — which the I/O thread records and
 * dispatches; plus a snapshot of the picture every `snapshotPeriodUs`.
 */
export default defineTickHandler<ControlTickHandlerData>((data) => {
  const state = createControlState(data.config);
  const snapshotPeriodUs = data.snapshotPeriodUs ?? 200_000;
  let nextSnapshotUs = 0;
  return (nowUs, inputRecords, output, tick) => {
    let inputs: ControlInput[] = [];
    if (inputRecords.length > 0) {
      inputs = inputRecords.map((bytes) => decodeJsonRecord<ControlInput>(bytes));
      inputs.sort(compareControlInputs);
    }
    const out = step(state, inputs, nowUs);
    if (inputs.length === 0 && out.commands.length === 0 && out.events.length === 0) {
      output(encodeIdleTick(tick.index, nowUs));
    } else {
      output(encodeJsonRecord({ tick: tick.index, nowUs, inputs, commands: out.commands, events: out.events }));
    }
    if (snapshotPeriodUs > 0 && nowUs >= nextSnapshotUs) {
      nextSnapshotUs = nowUs + snapshotPeriodUs;
      const snapshot: CoreSnapshot = {
        snapshot: {
          nowUs,
          weaponsControlStatus: state.weaponsControlStatus,
          tracks: state.tracks(),
          engagements: state.engagementList(),
          launchers: state.launcherList(),
        },
      };
      output(encodeJsonRecord(snapshot));
    }
  };
});
