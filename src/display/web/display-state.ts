import { type AssociationView, associationOf } from './association-layer.js';
import { type CoordinationView, coordinationViewOf } from './coordination-badge.js';
import type { SignatureMark } from './node-signature.js';
/**
 * The display's model of one node, fed by the MQTT messages of docs/mqtt.md. Pure (no DOM, no
 * MQTT): `main.ts` hands it topic + parsed payload, the views read it. Payloads are read
 * defensively: a member that is missing or of the wrong type is treated as unknown.
 */

export type Iff = 'hostile' | 'friendly' | 'unknown' | string;

export interface TrackView {
  readonly trackId: string;
  readonly iff: Iff;
  readonly quality: string;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
  readonly threatRank: number | null;
  readonly engagementId: string | null;
  /** Where the track comes from in a joint picture: `local` (own radars), `partner` or `fused`; null when not said. */
  readonly origin?: string | null;
  /** A fused track's association (fused position, own and partner members), when its node published one. */
  readonly association?: AssociationView | null;
  /** Recent positions, oldest first (for the trail). */
  readonly trail: { eastM: number; northM: number; atUs?: number }[];
}

export interface EngagementView {
  readonly engagementId: string;
  trackId: string;
  launcherId: string;
  state: string;
  transition: string;
  reason: string | null;
  firstHostUs: number;
  lastHostUs: number;
  launchAtHostUs: number | null;
  interceptAtHostUs: number | null;
  actualLaunchHostUs: number | null;
  aim: { eastM: number; northM: number; upM: number } | null;
  result: string | null;
  events: number;
}

export interface DeviceView {
  /** How its node signature checked out (null: not checked). */
  readonly signature: SignatureMark | null;
  readonly deviceId: string;
  readonly kind: string;
  readonly link: string;
  readonly state: string;
  readonly quality: string;
  readonly qualityReason: string | null;
  readonly ageMs: number | null;
  readonly counters: Readonly<Record<string, number>>;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface CommandResultView {
  /** How its node signature checked out (null: not checked). */
  readonly signature: SignatureMark | null;
  readonly id: string | null;
  readonly verb: string | null;
  readonly status: string;
  readonly reason: string | null;
  readonly operators: readonly string[];
  readonly at: string | null;
  readonly args?: Readonly<Record<string, unknown>>;
}

/** One partner of a joint picture as the node's status tells it. */
export interface PartnerView {
  readonly partnerId: string;
  /** `never-heard`, `live` or `stale`. */
  readonly state: string;
  readonly tracks: number;
  readonly dropped: number;
}

export interface LoopSample {
  readonly hostTimeUs: number;
  readonly latenessP99Us: number | null;
  readonly latenessMaxUs: number | null;
  readonly overruns: number | null;
}

/** `metrics.loop.weaponsControlStatus` codes (the run's loop figures). */
export const WEAPONS_CONTROL_CODES: readonly string[] = ['hold', 'tight', 'free'];

const TRAIL_POINTS = 40;
const TRAIL_SPACING_US = 500_000;
const LOOP_SAMPLES = 180;
const RESULTS_KEPT = 30;

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export class DisplayState {
  nodeId: string | null;
  /** The page has the node's public key: unsigned or badly signed status is then ignored. */
  nodeKeyKnown = false;
  /** How the status in force checked out (null: none yet, or not checked). */
  statusSignature: SignatureMark | null = null;
  /** Signed kinds that failed the check (unsigned or bad signature), and the latest of them. */
  untrustedMessages = 0;
  lastUntrusted: { readonly topic: string; readonly mark: SignatureMark } | null = null;
  /** `online` / `offline` / null (no birth seen yet). */
  nodeState: string | null = null;
  bootId: string | null = null;
  softwareVersion: string | null = null;
  configHash: string | null = null;
  bridgeMode: string | null = null;
  degraded: readonly string[] = [];
  weaponsControl: string | null = null;
  /** Partners of a joint picture (status `sharing`): null when the node shares with none. */
  sharing: { readonly alone: boolean; readonly partners: readonly PartnerView[] } | null = null;
  /** Engagement coordination with the partners (status `coordination`): null when the node coordinates with none. */
  coordination: CoordinationView | null = null;
  readonly tracks = new Map<string, TrackView>();
  readonly engagements = new Map<string, EngagementView>();
  readonly devices = new Map<string, DeviceView>();
  readonly results: CommandResultView[] = [];
  readonly loop: LoopSample[] = [];
  loopFigures: Readonly<Record<string, number>> = {};
  bridgeFigures: Readonly<Record<string, unknown>> = {};
  /** Latest node host time seen (µs) and the local time (ms) it arrived at. */
  hostTimeUs: number | null = null;
  hostTimeAtMs = 0;
  trackSeq: number | null = null;
  engagementEvents = 0;
  /** Engagement events that arrived twice (same bootId and seq), dropped. */
  duplicateEvents = 0;
  /** Holes in the engagement event numbering: lost events. */
  eventGaps = 0;
  messages = 0;
  private readonly seenEvents = new Set<string>();
  private lastEventSeq: number | null = null;

  constructor(nodeId: string | null) {
    this.nodeId = nodeId;
  }

  /** Node host time now, extrapolated from the last message (µs), or null. */
  nodeNowUs(localNowMs: number): number | null {
    return this.hostTimeUs === null ? null : this.hostTimeUs + (localNowMs - this.hostTimeAtMs) * 1000;
  }

  /**
   * Take one message. `topic` is the full topic; returns false when it is not of this node (or
   * of no node yet picked: then the first `status` picks it).
   */
  accept(topic: string, payload: unknown, localNowMs: number, signature: SignatureMark | null = null): boolean {
    const levels = topic.split('/');
    if (levels[0] !== 'shieldlink' || levels[1] !== 'v1' || levels.length < 4) return false;
    const node = decodeURIComponent(levels[2]!);
    if (this.nodeId === null) {
      if (levels[3] !== 'status') return false;
      this.nodeId = node;
    }
    if (node !== this.nodeId) return false;
    const p = obj(payload);
    this.messages++;
    const rest = levels.slice(3);
    const untrusted = signature === 'unsigned' || signature === 'bad-signature';
    if (untrusted) {
      this.untrustedMessages++;
      this.lastUntrusted = { topic: rest.join('/'), mark: signature };
    }
    switch (rest[0]) {
      case 'status':
        // With the node's key at hand, a status it did not sign is someone else's: marked, not believed.
        if (untrusted && this.nodeKeyKnown) break;
        this.statusSignature = signature;
        this.onStatus(p);
        break;
      case 'devices':
        if (rest[2] === 'state') this.onDevice(p, signature);
        break;
      case 'tracks':
        this.onTracks(p, localNowMs);
        break;
      case 'engagements':
        this.onEngagement(p);
        break;
      case 'metrics':
        this.onMetrics(p, localNowMs);
        break;
      case 'commands':
        if (rest[1] === 'result') this.onResult(p, signature);
        break;
      default:
        break;
    }
    return true;
  }

  private seeHostTime(hostTimeUs: number | null, localNowMs: number): void {
    if (hostTimeUs === null || (this.hostTimeUs !== null && hostTimeUs < this.hostTimeUs)) return;
    this.hostTimeUs = hostTimeUs;
    this.hostTimeAtMs = localNowMs;
  }

  private onStatus(p: Json): void {
    this.nodeState = str(p['state']);
    const bootId = str(p['bootId']);
    if (bootId !== null && bootId !== this.bootId) {
      // A new boot: every sequence restarts; the old picture is of another process.
      if (this.bootId !== null) {
        this.tracks.clear();
        this.engagements.clear();
        this.loop.length = 0;
        this.hostTimeUs = null;
        this.lastEventSeq = null;
      }
      this.bootId = bootId;
    }
    if (this.nodeState === 'online') {
      this.softwareVersion = str(p['softwareVersion']);
      this.configHash = str(p['configHash']);
      const bridge = obj(p['bridge']);
      this.bridgeMode = str(bridge['mode']);
      this.degraded = Array.isArray(bridge['degraded']) ? bridge['degraded'].filter((d) => typeof d === 'string') : [];
      this.coordination = coordinationViewOf(p['coordination']);
      const sharing = p['sharing'];
      this.sharing =
        typeof sharing !== 'object' || sharing === null
          ? null
          : {
              alone: obj(sharing)['alone'] === true,
              partners: Object.entries(obj(obj(sharing)['partners'])).map(([partnerId, v]) => ({
                partnerId,
                state: str(obj(v)['state']) ?? '?',
                tracks: num(obj(v)['tracks']) ?? 0,
                dropped: Object.values(obj(obj(v)['dropped'])).reduce<number>((a, n) => a + (num(n) ?? 0), 0),
              })),
            };
    }
  }

  private onDevice(p: Json, signature: SignatureMark | null): void {
    const deviceId = str(p['deviceId']);
    if (deviceId === null) return;
    const counters: Record<string, number> = {};
    for (const [k, v] of Object.entries(obj(p['counters']))) if (typeof v === 'number') counters[k] = v;
    this.devices.set(deviceId, {
      signature,
      deviceId,
      kind: str(p['kind']) ?? '?',
      link: str(p['link']) ?? '?',
      state: str(p['state']) ?? '?',
      quality: str(p['quality']) ?? '?',
      qualityReason: str(p['qualityReason']),
      ageMs: num(p['ageMs']),
      counters,
      detail: obj(p['detail']),
    });
  }

  private onTracks(p: Json, localNowMs: number): void {
    const hostTimeUs = num(p['hostTimeUs']);
    this.seeHostTime(hostTimeUs, localNowMs);
    this.trackSeq = num(p['seq']);
    const list = Array.isArray(p['tracks']) ? p['tracks'] : [];
    const seen = new Set<string>();
    for (const raw of list) {
      const t = obj(raw);
      const trackId = str(t['trackId']);
      const eastM = num(t['eastM']);
      const northM = num(t['northM']);
      if (trackId === null || eastM === null || northM === null) continue;
      seen.add(trackId);
      const previous = this.tracks.get(trackId);
      const trail = previous?.trail ?? [];
      const last = trail[trail.length - 1];
      if (last === undefined || hostTimeUs === null || (last.atUs ?? 0) + TRAIL_SPACING_US <= hostTimeUs) {
        trail.push({ eastM, northM, ...(hostTimeUs === null ? {} : { atUs: hostTimeUs }) });
        if (trail.length > TRAIL_POINTS) trail.shift();
      }
      this.tracks.set(trackId, {
        trackId,
        iff: str(t['iff']) ?? 'unknown',
        quality: str(t['quality']) ?? '?',
        eastM,
        northM,
        upM: num(t['upM']) ?? 0,
        eastMps: num(t['eastMps']) ?? 0,
        northMps: num(t['northMps']) ?? 0,
        upMps: num(t['upMps']) ?? 0,
        threatRank: num(t['threatRank']),
        engagementId: str(t['engagementId']),
        origin: str(obj(t['detail'])['origin']),
        association: associationOf(obj(t['detail'])),
        trail,
      });
    }
    for (const id of [...this.tracks.keys()]) if (!seen.has(id)) this.tracks.delete(id);
  }

  private onEngagement(p: Json): void {
    const engagementId = str(p['engagementId']);
    const seq = num(p['seq']);
    if (engagementId === null) return;
    const key = `${str(p['bootId']) ?? ''}:${seq ?? ''}`;
    if (seq !== null) {
      if (this.seenEvents.has(key)) {
        this.duplicateEvents++;
        return;
      }
      this.seenEvents.add(key);
      if (this.lastEventSeq !== null && seq > this.lastEventSeq + 1) this.eventGaps += seq - this.lastEventSeq - 1;
      if (this.lastEventSeq === null || seq > this.lastEventSeq) this.lastEventSeq = seq;
    }
    this.engagementEvents++;
    const d = obj(p['detail']);
    const hostTimeUs = num(p['hostTimeUs']) ?? 0;
    const e: EngagementView = this.engagements.get(engagementId) ?? {
      engagementId,
      trackId: '',
      launcherId: '',
      state: '',
      transition: '',
      reason: null,
      firstHostUs: hostTimeUs,
      lastHostUs: hostTimeUs,
      launchAtHostUs: null,
      interceptAtHostUs: null,
      actualLaunchHostUs: null,
      aim: null,
      result: null,
      events: 0,
    };
    e.trackId = str(p['trackId']) ?? e.trackId;
    e.launcherId = str(p['launcherId']) ?? e.launcherId;
    e.state = str(p['state']) ?? e.state;
    e.transition = str(p['transition']) ?? e.transition;
    e.reason = str(p['reason']);
    e.lastHostUs = Math.max(e.lastHostUs, hostTimeUs);
    e.launchAtHostUs = num(d['launchAtHostUs']) || e.launchAtHostUs;
    e.interceptAtHostUs = num(d['interceptAtHostUs']) || e.interceptAtHostUs;
    e.actualLaunchHostUs = num(d['actualLaunchHostUs']) || e.actualLaunchHostUs;
    const aimE = num(d['aimEastM']);
    const aimN = num(d['aimNorthM']);
    if (aimE !== null && aimN !== null && (aimE !== 0 || aimN !== 0))
      e.aim = { eastM: aimE, northM: aimN, upM: num(d['aimUpM']) ?? 0 };
    e.result = str(d['result']) ?? e.result;
    e.events++;
    this.engagements.set(engagementId, e);
  }

  private onMetrics(p: Json, localNowMs: number): void {
    const hostTimeUs = num(p['hostTimeUs']);
    this.seeHostTime(hostTimeUs, localNowMs);
    const loop: Record<string, number> = {};
    for (const [k, v] of Object.entries(obj(p['loop']))) if (typeof v === 'number') loop[k] = v;
    this.loopFigures = loop;
    this.bridgeFigures = obj(p['bridge']);
    const wcs = loop['weaponsControlStatus'];
    if (wcs !== undefined) this.weaponsControl = WEAPONS_CONTROL_CODES[wcs] ?? null;
    if (hostTimeUs !== null) {
      this.loop.push({
        hostTimeUs,
        latenessP99Us: loop['tickLatenessP99Us'] ?? null,
        latenessMaxUs: loop['tickLatenessMaxUs'] ?? null,
        overruns: loop['overruns'] ?? null,
      });
      if (this.loop.length > LOOP_SAMPLES) this.loop.shift();
    }
  }

  private onResult(p: Json, signature: SignatureMark | null): void {
    const result: CommandResultView = {
      signature,
      id: str(p['id']),
      verb: str(p['verb']),
      status: str(p['status']) ?? '?',
      reason: str(p['reason']) ?? str(p['awaiting']) ?? str(p['stage']),
      operators: Array.isArray(p['operators']) ? p['operators'].filter((o) => typeof o === 'string') : [],
      at: str(p['at']),
    };
    this.results.unshift(result);
    if (this.results.length > RESULTS_KEPT) this.results.pop();
  }

  /** Engagements whose interceptor is in the air at `nowUs`, with its flight fraction (0..1). */
  interceptorsInFlight(nowUs: number): { engagement: EngagementView; fraction: number }[] {
    const out: { engagement: EngagementView; fraction: number }[] = [];
    for (const e of this.engagements.values()) {
      if (e.aim === null || e.interceptAtHostUs === null) continue;
      if (e.state !== 'launched' && e.state !== 'fire-sent') continue;
      const launchUs = e.actualLaunchHostUs ?? e.launchAtHostUs;
      if (launchUs === null || nowUs < launchUs || e.interceptAtHostUs <= launchUs) continue;
      const fraction = (nowUs - launchUs) / (e.interceptAtHostUs - launchUs);
      if (fraction <= 1) out.push({ engagement: e, fraction });
    }
    return out;
  }
}
