import { type Message, encodeMessage } from '../../protocol/index.js';
import { type Clock, SYNC_ONLY, type TimerHandle } from '../../time/clock.js';
import { lineTimeUs } from '../../transport/paced-transport.js';
import { SyncUnavailableError } from '../device-errors.js';
import type { SentFrame } from '../link/acknowledged-sender.js';
import type { ClockEstimate } from './clock-estimate.js';
import { ClockOffsetEstimator, DEFAULT_ESTIMATOR_CONFIG, type EstimatorConfig } from './clock-offset-estimator.js';
import { type SampleErrorModel, syncSampleFrom } from './sync-sample.js';

/** Knobs of {@link TimeSync}. */
export interface TimeSyncConfig {
  /** Period of TIME_SYNC_REQUEST in steady state. Default 100 000 us. */
  readonly periodUs: number;
  /** Period of the first `initialExchanges` requests after start, to converge fast. Default 20 000 us. */
  readonly initialPeriodUs: number;
  /** Requests sent at the initial period. Default 10. */
  readonly initialExchanges: number;
  /** A response later than this after its request is dropped (ICD-CMN-007 says 5 ms). Default 50 000 us. */
  readonly responseTimeoutUs: number;
  /** Device timestamp resolution (integer microseconds). Default 1. */
  readonly timestampResolutionUs: number;
  /**
   * Largest difference between the one-way latencies of the link (line times excluded) that
   * the uncertainty bound may assume. Default Infinity: the bound is rigorous (half the round
   * trip), which on a USB or PTY link with ~1 ms of latency is ~500 us even when the real
   * error is tens of us. Set it from a measurement of the link to get a usable bound; errors
   * beyond it are then possible.
   */
  readonly maxDelayAsymmetryUs: number;
  /**
   * Requests per round (1–8). The first goes out on the period; each later one as soon as the
   * response to the one before arrives. Over a path whose first packet after a quiet spell
   * crosses more slowly than the next (a PTY through socat, a USB serial adapter waking up), the
   * later exchanges see shorter and more even delays, which the min-RTT filter then prefers.
   * Default 1.
   */
  readonly burst: number;
  /** Estimator window and filter. */
  readonly estimator: EstimatorConfig;
}

/** TimeSyncConfig as given by callers: every knob optional, nested ones too. */
export type TimeSyncConfigInput = Partial<Omit<TimeSyncConfig, 'estimator'>> & {
  readonly estimator?: Partial<EstimatorConfig>;
};

export const DEFAULT_TIME_SYNC_CONFIG: TimeSyncConfig = {
  periodUs: 100_000,
  initialPeriodUs: 20_000,
  initialExchanges: 10,
  responseTimeoutUs: 50_000,
  timestampResolutionUs: 1,
  maxDelayAsymmetryUs: Number.POSITIVE_INFINITY,
  burst: 1,
  estimator: DEFAULT_ESTIMATOR_CONFIG,
};

/** What a driver exposes of its time sync: conversions and their quality. */
export interface TimeSyncView {
  /** The current model, undefined before the first sample of this session. */
  estimate(): ClockEstimate | undefined;
  /** Device time → host time. Throws SyncUnavailableError before the first sample. */
  deviceToHostUs(deviceUs: number): number;
  /** Host time → device time. Throws SyncUnavailableError before the first sample. */
  hostToDeviceUs(hostUs: number): number;
  /** Bound on the conversion error at host time `atHostUs` (default now); Infinity without a model. */
  uncertaintyUs(atHostUs?: number): number;
  /** Whether a model exists and its bound at `atHostUs` (default now) is <= maxUncertaintyUs. */
  isWithinBound(maxUncertaintyUs: number, atHostUs?: number): boolean;
}

/** What TimeSync needs from the link. */
export interface TimeSyncLink {
  /** Send a frame made for the purpose; the link sets its seq and flags (DeviceLink.sendMessage). */
  sendMessage(message: Message): SentFrame | undefined;
  hostToDeviceLineUs(bytes: number): number;
  /** Whether sending starts no asynchronous work (DeviceLink.writesSynchronously). */
  readonly writesSynchronously?: boolean;
}

/** Options of {@link TimeSync}. */
export interface TimeSyncOptions {
  readonly clock: Clock;
  readonly link: TimeSyncLink;
  /** Device → host baud (8N1) when the device's line is paced; default unknown (no correction). */
  readonly deviceToHostBaud?: number;
  readonly config?: TimeSyncConfigInput;
  /** Called per request that got no usable response. */
  readonly onTimeout?: () => void;
}

interface Outstanding {
  readonly t1Us: number;
  readonly requestLineUs: number;
}

/**
 * NTP-style time sync with one device (ICD-CMN-007): sends TIME_SYNC_REQUEST periodically
 * (faster right after `start()`), turns each TIME_SYNC_RESPONSE into a sample with the line
 * times of both frames removed, and feeds a ClockOffsetEstimator.
 *
 * Timestamps: t1 = host time the request's first byte started on the line (from the link's
 * line model, so a request queued behind another frame is not mis-stamped), t2/t3 from the
 * device, t4 = host time the response's last byte arrived (the `rxUs` the link reports).
 */
export class TimeSync implements TimeSyncView {
  readonly config: TimeSyncConfig;
  private readonly clock: Clock;
  private readonly options: TimeSyncOptions;
  private readonly estimator: ClockOffsetEstimator;
  private readonly errorModel: SampleErrorModel;
  private readonly outstanding = new Map<number, Outstanding>();
  private timer: TimerHandle | undefined;
  private sentSinceStart = 0;
  /** Requests of the current round still to send, each on the previous one's response. */
  private burstLeft = 0;
  /** The request timer's callback, made once (no closure per request). */
  /** SYNC_ONLY when the link writes synchronously (the rest of a request is synchronous). */
  private readonly onRequestTimer = (): typeof SYNC_ONLY | undefined => {
    this.request();
    return this.options.link.writesSynchronously === true ? SYNC_ONLY : undefined;
  };

  constructor(options: TimeSyncOptions) {
    this.options = options;
    this.clock = options.clock;
    this.config = {
      ...DEFAULT_TIME_SYNC_CONFIG,
      ...options.config,
      estimator: { ...DEFAULT_ESTIMATOR_CONFIG, ...options.config?.estimator },
    };
    if (!(Number.isInteger(this.config.burst) && this.config.burst >= 1 && this.config.burst <= 8)) {
      throw new RangeError(`time sync: burst must be an integer in [1, 8], got ${this.config.burst}`);
    }
    this.estimator = new ClockOffsetEstimator(this.config.estimator);
    this.errorModel = {
      timestampResolutionUs: this.config.timestampResolutionUs,
      maxDriftPpm: this.config.estimator.maxDriftPpm,
      maxDelayAsymmetryUs: this.config.maxDelayAsymmetryUs,
    };
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Samples in the window. */
  get sampleCount(): number {
    return this.estimator.sampleCount;
  }

  /** Start requesting at once, at the initial rate first. */
  start(): void {
    if (this.timer !== undefined) return;
    this.sentSinceStart = 0;
    this.request();
  }

  /** Stop requesting; the model is kept (see `reset`). Outstanding requests are forgotten. */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.burstLeft = 0;
    this.outstanding.clear();
  }

  /** Forget every sample (the device may have restarted its clock). */
  reset(): void {
    this.estimator.reset();
    this.outstanding.clear();
  }

  /** Feed a TIME_SYNC_RESPONSE that arrived at host time `rxUs`. */
  handleResponse(response: Message<'TIME_SYNC_RESPONSE'>, rxUs: number): void {
    const request = this.outstanding.get(response.t1HostUs);
    if (request === undefined) {
      this.options.onTimeout?.();
      return;
    }
    this.outstanding.delete(response.t1HostUs);
    if (rxUs - request.t1Us > this.config.responseTimeoutUs) {
      this.options.onTimeout?.();
      return;
    }
    const baud = this.options.deviceToHostBaud;
    const responseLineUs = baud === undefined ? 0 : lineTimeUs(encodeMessage(response).length, baud);
    const sample = syncSampleFrom(
      {
        t1Us: request.t1Us,
        t2Us: response.t2DeviceUs,
        t3Us: response.t3DeviceUs,
        t4Us: rxUs,
        requestLineUs: request.requestLineUs,
        responseLineUs,
      },
      this.errorModel,
    );
    this.estimator.add(sample);
    if (this.burstLeft > 0 && this.timer !== undefined) {
      this.burstLeft--;
      this.send(this.clock.nowUs());
    }
  }

  estimate(): ClockEstimate | undefined {
    return this.estimator.estimate();
  }

  deviceToHostUs(deviceUs: number): number {
    return this.requireEstimate().deviceToHostUs(deviceUs);
  }

  hostToDeviceUs(hostUs: number): number {
    return this.requireEstimate().hostToDeviceUs(hostUs);
  }

  uncertaintyUs(atHostUs: number = this.clock.nowUs()): number {
    return this.estimator.estimate()?.uncertaintyAtUs(atHostUs) ?? Number.POSITIVE_INFINITY;
  }

  isWithinBound(maxUncertaintyUs: number, atHostUs?: number): boolean {
    return this.uncertaintyUs(atHostUs) <= maxUncertaintyUs;
  }

  private requireEstimate(): ClockEstimate {
    const estimate = this.estimator.estimate();
    if (estimate === undefined) throw new SyncUnavailableError();
    return estimate;
  }

  /** The first request of a round, on the period; arms the next round. */
  private request(): void {
    const nowUs = this.clock.nowUs();
    this.burstLeft = this.config.burst - 1;
    this.send(nowUs);
    this.sentSinceStart++;
    const periodUs =
      this.sentSinceStart < this.config.initialExchanges ? this.config.initialPeriodUs : this.config.periodUs;
    this.timer = this.clock.setTimerAt(nowUs + periodUs, this.onRequestTimer);
  }

  private send(nowUs: number): void {
    this.expire(nowUs);
    // t1HostUs on the wire identifies the exchange; the exact line start is kept here.
    const id = Math.floor(nowUs);
    if (this.outstanding.has(id)) return; // two requests in one microsecond: one exchange
    const sent = this.options.link.sendMessage({ type: 'TIME_SYNC_REQUEST', seq: 0, flags: 0, t1HostUs: id });
    if (sent !== undefined) {
      this.outstanding.set(id, {
        t1Us: sent.txStartUs,
        requestLineUs: this.options.link.hostToDeviceLineUs(sent.byteLength),
      });
    }
  }

  private expire(nowUs: number): void {
    for (const [id, request] of this.outstanding) {
      if (nowUs - request.t1Us > this.config.responseTimeoutUs) {
        this.outstanding.delete(id);
        this.options.onTimeout?.();
      }
    }
  }
}
