import type { TimeSyncView } from './time-sync/time-sync.js';

/** Arrival time of a device frame, and the quality of the device→host conversions of its times. */
export interface HostTimed {
  /** Host time the frame arrived. */
  readonly receivedAtHostUs: number;
  /** Bound on the conversion error of the converted times; Infinity without a model. */
  readonly timeUncertaintyUs: number;
}

/** One device time of a frame converted to host time, with the frame's HostTimed. */
export interface HostTimedConversion extends HostTimed {
  /** The device time in host time; undefined without a model. */
  readonly hostUs: number | undefined;
}

/** Convert one device time of a frame that arrived at `rxUs`; `hostUs` undefined without a model. */
export function hostTimed(sync: TimeSyncView, rxUs: number, deviceUs: number): HostTimedConversion {
  const estimate = sync.estimate();
  if (estimate === undefined) {
    return { hostUs: undefined, receivedAtHostUs: rxUs, timeUncertaintyUs: Number.POSITIVE_INFINITY };
  }
  const hostUs = estimate.deviceToHostUs(deviceUs);
  return { hostUs, receivedAtHostUs: rxUs, timeUncertaintyUs: estimate.uncertaintyAtUs(hostUs) };
}
