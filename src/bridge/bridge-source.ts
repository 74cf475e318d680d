import type { Quality } from './schemas/payload-primitives.js';
import type { ThreatPicture } from './threat-publisher.js';

/** Flat facts (strings <= 256 chars, finite numbers, booleans, null). */
export type DetailMap = Readonly<Record<string, string | number | boolean | null>>;
/** Counters or gauges; non-finite values are published as null. */
export type NumberMap = Readonly<Record<string, number>>;

/** Static facts about the node, for the retained birth message. */
export interface NodeBirth {
  readonly softwareVersion: string;
  /** Hash of the effective configuration (e.g. sha256 hex). */
  readonly configHash: string;
  /** Wall time the node started (ISO 8601 UTC). */
  readonly startedAt: string;
  readonly devices: readonly { readonly deviceId: string; readonly kind: string }[];
}

/** The latest state of one device controller, as its driver sees it. */
export interface DeviceStateUpdate {
  readonly deviceId: string;
  /** e.g. `radar`, `launcher` (lower-case kebab). */
  readonly kind: string;
  /** Driver link state, lower-case kebab, e.g. `active`, `connecting`, `lost`. */
  readonly link: string;
  /** Device state, lower-case kebab, e.g. `armed`, `safe`, `search`. */
  readonly state: string;
  /** The driver's quality (`stale` on link loss or missed heartbeats; `simulated` for the simulator). */
  readonly quality: Quality;
  readonly qualityReason?: string | null;
  /** The device clock in its last frame (µs, device epoch), or null. */
  readonly deviceTimeUs: number | null;
  /** Host monotonic µs (the shared `Clock`) at which the last frame arrived, or null. */
  readonly receivedAtUs: number | null;
  readonly counters: NumberMap;
  readonly detail?: DetailMap;
}

/** One host track (east-north-up metres and m/s). */
export interface TrackView {
  readonly trackId: string;
  readonly iff: string;
  readonly quality: Quality;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
  /** Host µs of the estimate. */
  readonly estimateTimeUs: number;
  readonly threatRank: number | null;
  readonly engagementId: string | null;
  readonly detail?: DetailMap;
}

/** The whole track picture at one host instant. */
export interface TrackPicture {
  readonly hostTimeUs: number;
  readonly tracks: readonly TrackView[];
}

/** One state change of one engagement (the bridge numbers them: `seq`). */
export interface EngagementChange {
  readonly engagementId: string;
  readonly trackId: string | null;
  readonly launcherId: string | null;
  readonly transition: string | null;
  readonly state: string;
  readonly reason: string | null;
  readonly commandId: string | null;
  /** The producer's own event number (e.g. the control core's `seq`), or null. */
  readonly sourceSeq: number | null;
  readonly hostTimeUs: number;
  readonly detail?: DetailMap;
}

/** Figures from the loop and the links (the bridge adds its own). */
export interface LoopMetrics {
  readonly loop: NumberMap;
  readonly links: Readonly<Record<string, NumberMap>>;
}

/**
 * Where the bridge gets data: the control loop (or its adapter) pushes into a `BridgeSink`.
 *
 * Contract for every `BridgeSink` method: synchronous, O(1), never throws, never blocks, never
 * does I/O (it stores a reference and schedules work on the bridge's clock). Objects passed in
 * are treated as immutable from then on: the caller must not mutate them afterwards (pass a fresh
 * object per update). Device states, track pictures and metrics are coalesced, latest wins;
 * engagement changes are never coalesced and never dropped, and keep their order.
 */
export interface BridgeSink {
  deviceState(update: DeviceStateUpdate): void;
  tracks(picture: TrackPicture): void;
  engagement(change: EngagementChange): void;
  metrics(metrics: LoopMetrics): void;
  /** The threat picture (coalesced, latest wins; `threats` topic). Optional for producers without one. */
  threats?(picture: ThreatPicture): void;
}

/** The producer side, handed to `ShieldlinkBridge.start`. */
export interface BridgeSource {
  /** Birth facts; read at start and at every (re)connect. */
  birth(): NodeBirth;
  /** Start pushing into `sink` (immediately push the current full state). Returns detach. */
  attach(sink: BridgeSink): () => void;
}
