import { errorEllipse } from '../common/error-ellipse.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { BrokerLink } from './broker-link.js';
import { finiteOrNull, idOf, isoOf, nameOf } from './payload-sanitizer.js';
import type { AssetEntryPayload, GroundAreaPayload, ThreatPicturePayload } from './schemas/threat-picture-payload.js';
import type { TopicTree } from './topic-tree.js';

/** Most threats in one message (the most valuable first); `truncated` says when more were held. */
export const MAX_THREATS_PER_MESSAGE = 1000;

/** A ground area (local ENU metres). */
export type GroundAreaView = GroundAreaPayload;

/** A defended asset as the producer declares it. */
export type AssetView = AssetEntryPayload;

/** One track's threat evaluation as the producer holds it (the bridge adds the 95 % ellipse). */
export interface ThreatView {
  readonly trackId: string;
  readonly iff: string;
  readonly kind: 'impact' | 'approach';
  readonly ippEastM: number;
  readonly ippNorthM: number;
  readonly ippVarEastM2: number;
  readonly ippCovM2: number;
  readonly ippVarNorthM2: number;
  /** Host µs of the predicted impact (or closest approach); null or non-finite when none. */
  readonly impactAtHostUs: number | null;
  readonly threatValue: number;
  readonly assets: readonly { readonly assetId: string; readonly probability: number; readonly value: number }[];
  readonly assignment: {
    readonly engagementId: string;
    readonly launcherId: string;
    readonly state: string;
    readonly interceptAtHostUs: number;
  } | null;
}

/** The threat picture at one host instant, with the assets it is judged against. */
export interface ThreatPicture {
  readonly hostTimeUs: number;
  readonly assets: readonly AssetView[];
  readonly threats: readonly ThreatView[];
}

/** Options of {@link ThreatPublisher}. */
export interface ThreatPublisherOptions {
  /** Threat pictures per second at most (default 2). */
  readonly rateHz?: number;
  /** Skip a period while this many bytes wait in the socket (default 1 MiB). */
  readonly maxBacklogBytes?: number;
}

/**
 * The `threats` topic (docs/mqtt.md §Threats): the latest threat picture, coalesced (latest wins)
 * and published at most `rateHz` times a second on the bridge clock, QoS 0, not retained. `update`
 * only stores a reference (O(1), never throws); a congested socket skips a period rather than
 * queueing; nothing is queued while disconnected (`republish` after a reconnect sends the latest
 * again). Payloads are bounded: ids and names folded to their schema forms, non-finite numbers
 * `null`, at most {@link MAX_THREATS_PER_MESSAGE} threats.
 */
export class ThreatPublisher {
  private latest: ThreatPicture | null = null;
  private dirty = false;
  private seq = 0;
  private timer: TimerHandle | null = null;
  private running = false;
  private readonly periodUs: number;
  private readonly maxBacklogBytes: number;
  /** Messages published so far. */
  published = 0;

  constructor(
    private readonly link: BrokerLink,
    private readonly clock: Clock,
    private readonly wallClock: () => number,
    private readonly topics: TopicTree,
    private readonly bootId: string,
    options: ThreatPublisherOptions = {},
  ) {
    const rate = options.rateHz ?? 2;
    if (!(rate > 0 && rate <= 100)) throw new RangeError(`threat rate ${rate} Hz must be in (0, 100]`);
    this.periodUs = 1_000_000 / rate;
    this.maxBacklogBytes = options.maxBacklogBytes ?? 1024 * 1024;
  }

  update(picture: ThreatPicture): void {
    this.latest = picture;
    this.dirty = true;
  }

  /** After a reconnect: the latest picture goes out again at the next period. */
  republish(): void {
    this.dirty = this.latest !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    let next = this.clock.nowUs() + this.periodUs;
    const tick = (): void => {
      if (!this.running) return;
      this.publish();
      const now = this.clock.nowUs();
      next += this.periodUs;
      if (next <= now) next += Math.ceil((now - next) / this.periodUs + 1e-9) * this.periodUs;
      if (next <= now) next += this.periodUs;
      this.timer = this.clock.setTimerAt(next, tick);
    };
    this.timer = this.clock.setTimerAt(next, tick);
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  private publish(): void {
    const picture = this.latest;
    if (!this.dirty || picture === null || !this.link.connected) return;
    if (this.link.writeBacklogBytes > this.maxBacklogBytes) return;
    this.dirty = false;
    const payload = threatPicturePayloadOf(picture, this.topics.nodeId, this.bootId, ++this.seq, this.wallClock());
    this.published++;
    this.link.publish(
      { topic: this.topics.threats, payload: JSON.stringify(payload), qos: 0, retain: false },
      () => undefined,
    );
  }
}

/** The `threats` payload of a picture (sorted, bounded, sanitised). Pure. */
export function threatPicturePayloadOf(
  picture: ThreatPicture,
  nodeId: string,
  bootId: string,
  seq: number,
  wallMs: number,
): ThreatPicturePayload {
  const hostTimeUs = finiteOrNull(picture.hostTimeUs) ?? 0;
  const sorted = [...picture.threats].sort(
    (a, b) =>
      (finiteOrNull(b.threatValue) ?? 0) - (finiteOrNull(a.threatValue) ?? 0) ||
      (finiteOrNull(a.impactAtHostUs) ?? Infinity) - (finiteOrNull(b.impactAtHostUs) ?? Infinity) ||
      (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0),
  );
  const kept = sorted.slice(0, MAX_THREATS_PER_MESSAGE);
  return {
    v: 1,
    nodeId,
    bootId,
    seq,
    hostTimeUs,
    publishedAt: isoOf(wallMs),
    assets: picture.assets.slice(0, 256).map((a) => ({
      assetId: idOf(a.assetId),
      value: finiteOrNull(a.value) ?? 0,
      minAltitudeM: finiteOrNull(a.minAltitudeM) ?? 0,
      maxAltitudeM: finiteOrNull(a.maxAltitudeM) ?? 0,
      area: areaOf(a.area),
      keepOut: a.keepOut.slice(0, 64).map(areaOf),
    })),
    threats: kept.map((t) => {
      const ellipse = errorEllipse(t.ippVarEastM2, t.ippCovM2, t.ippVarNorthM2);
      const impact = finiteOrNull(t.impactAtHostUs);
      return {
        trackId: idOf(t.trackId),
        iff: nameOf(t.iff),
        kind: t.kind,
        ipp: {
          eastM: finiteOrNull(t.ippEastM),
          northM: finiteOrNull(t.ippNorthM),
          varEastM2: finiteOrNull(t.ippVarEastM2),
          covEastNorthM2: finiteOrNull(t.ippCovM2),
          varNorthM2: finiteOrNull(t.ippVarNorthM2),
          ellipse95: {
            semiMajorM: finiteOrNull(ellipse.semiMajorM),
            semiMinorM: finiteOrNull(ellipse.semiMinorM),
            majorAxisBearingDeg: finiteOrNull(ellipse.majorAxisBearingDeg),
          },
        },
        impactAtHostUs: impact,
        timeToImpactS: impact === null ? null : (impact - hostTimeUs) / 1e6,
        threatValue: finiteOrNull(t.threatValue),
        assets: t.assets.slice(0, 64).map((a) => ({
          assetId: idOf(a.assetId),
          probability: Math.min(1, Math.max(0, finiteOrNull(a.probability) ?? 0)),
          value: finiteOrNull(a.value) ?? 0,
        })),
        assignment:
          t.assignment === null
            ? null
            : {
                engagementId: idOf(t.assignment.engagementId),
                launcherId: idOf(t.assignment.launcherId),
                state: nameOf(t.assignment.state),
                interceptAtHostUs: finiteOrNull(t.assignment.interceptAtHostUs) ?? 0,
              },
      };
    }),
    truncated: sorted.length > kept.length,
  };
}

function areaOf(area: GroundAreaView): GroundAreaPayload {
  if (area.kind === 'circle') {
    return {
      kind: 'circle',
      eastM: finiteOrNull(area.eastM) ?? 0,
      northM: finiteOrNull(area.northM) ?? 0,
      radiusM: Math.max(0, finiteOrNull(area.radiusM) ?? 0),
    };
  }
  return {
    kind: 'polygon',
    vertices: area.vertices
      .slice(0, 256)
      .map((v) => ({ eastM: finiteOrNull(v.eastM) ?? 0, northM: finiteOrNull(v.northM) ?? 0 })),
  };
}
