import {
  type ControlConfig,
  type ControlInput,
  compareControlInputs,
  createControlState,
  step,
} from '../control/index.js';
import { defineTickHandler } from '../control/realtime/tick-handler.js';
import { SameThreadChannel } from './same-thread-channel.js';
import {
  type BusyTickRecord,
  type CoreSnapshot,
  decodeJsonText,
  encodeBusyTick,
  IdleTickEncoder,
  encodeJsonRecord,
} from './tick-record-codec.js';

const NO_INPUTS: ControlInput[] = [];
const NO_TEXTS: string[] = [];

/** Data the tick loop passes to this module (structured-clonable: it crosses to the worker). */
export interface ControlTickHandlerData {
  readonly config: ControlConfig;
  /** How often to emit a CoreSnapshot (default 200 000 us; 0 = never). */
  readonly snapshotPeriodUs?: number;
  /**
   * Only for a handler built on the session's own thread (virtual time): inputs, busy ticks and
   * snapshots pass through this instead of as JSON bytes. Not structured-clonable: never given
   * to the real-time worker.
   */
  readonly sameThread?: SameThreadChannel;
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
  const idleEncoder = new IdleTickEncoder();
  const sameThread = data.sameThread;
  return (nowUs, inputRecords, output, tick) => {
    let inputs: ControlInput[] = NO_INPUTS;
    let inputTexts: string[] = NO_TEXTS;
    if (inputRecords.length > 0) {
      const entries = inputRecords.map((bytes) => {
        const text =
          sameThread !== undefined && SameThreadChannel.isMarker(bytes)
            ? sameThread.takeInput()
            : decodeJsonText(bytes);
        return { input: JSON.parse(text) as ControlInput, text };
      });
      entries.sort((a, b) => compareControlInputs(a.input, b.input));
      inputs = entries.map((e) => e.input);
      inputTexts = entries.map((e) => e.text);
    }
    const out = step(state, inputs, nowUs);
    if (inputs.length === 0 && out.commands.length === 0 && out.events.length === 0) {
      output(idleEncoder.encode(tick.index, nowUs));
    } else if (sameThread === undefined) {
      output(encodeBusyTick(tick.index, nowUs, inputs, out.commands, out.events));
    } else if (output(sameThread.marker)) {
      // step() reuses its output arrays: hand over copies.
      const busy: BusyTickRecord = {
        tick: tick.index,
        nowUs,
        inputs,
        commands: out.commands.slice(),
        events: out.events.slice(),
      };
      sameThread.putOutput({ busy, inputTexts });
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
          threats: state.threatList(),
          covariances: state.trackCovariances(),
        },
      };
      if (sameThread === undefined) output(encodeJsonRecord(snapshot));
      else if (output(sameThread.marker)) sameThread.putOutput(snapshot);
    }
  };
});
