import type { Clock, TimerHandle } from '../src/time/clock.js';

/** Options of {@link DeviceClock}. */
export interface DeviceClockOptions {
  /** Device time at power-on, microseconds (>= 0: device times are u64, ICD-CMN-004). */
  readonly offsetUs: number;
  /** Rate error: the device counts (1 + driftPpm/1e6) microseconds per shared microsecond. */
  readonly driftPpm: number;
  /** Shared-clock instant of power-on. */
  readonly powerOnUs: number;
}

/**
 * A controller's own monotonic clock, derived from the shared Clock (docs/architecture.md §Time):
 * `deviceTimeUs = floor(offsetUs + (t − powerOnUs)·(1 + driftPpm/1e6))`, t = shared time.
 *
 * Contract:
 * - `nowUs()` is an integer, never decreases (ICD-CMN-004), and is `offsetUs` at power-on.
 * - `toSharedUs(d)` is the earliest shared instant at which `nowUs() >= d`, so a timer set with
 *   `setTimerAtDeviceUs(d)` on a virtual clock fires exactly when the device time reads `d`.
 */
export class DeviceClock {
  readonly offsetUs: number;
  readonly driftPpm: number;
  readonly powerOnUs: number;
  private readonly rate: number;

  constructor(
    readonly shared: Clock,
    options: DeviceClockOptions,
  ) {
    this.offsetUs = options.offsetUs;
    this.driftPpm = options.driftPpm;
    this.powerOnUs = options.powerOnUs;
    this.rate = 1 + options.driftPpm / 1e6;
  }

  /** Device time now, integer microseconds. */
  nowUs(): number {
    return this.toDeviceUs(this.shared.nowUs());
  }

  /** Device time at a shared instant. */
  toDeviceUs(sharedUs: number): number {
    return Math.floor(this.exactDeviceUs(sharedUs));
  }

  /** Earliest shared instant whose device time is at least `deviceUs`. */
  toSharedUs(deviceUs: number): number {
    let t = this.powerOnUs + (deviceUs - this.offsetUs) / this.rate;
    // Division rounding may leave t a hair early; step up by one ulp until the device time reads deviceUs.
    while (this.exactDeviceUs(t) < deviceUs) t += Math.max(Math.abs(t) * Number.EPSILON, Number.MIN_VALUE);
    return t;
  }

  /** Shared-clock duration of `deviceUs` device microseconds. */
  toSharedDurationUs(deviceUs: number): number {
    return deviceUs / this.rate;
  }

  /** Run `callback` when the device time reaches `deviceUs`. */
  setTimerAtDeviceUs(deviceUs: number, callback: () => void): TimerHandle {
    return this.shared.setTimerAt(this.toSharedUs(deviceUs), callback);
  }

  /** Run `callback` after `deviceUs` microseconds of device time. */
  setTimer(deviceUs: number, callback: () => void): TimerHandle {
    return this.shared.setTimer(this.toSharedDurationUs(deviceUs), callback);
  }

  private exactDeviceUs(sharedUs: number): number {
    return this.offsetUs + Math.max(0, sharedUs - this.powerOnUs) * this.rate;
  }
}
