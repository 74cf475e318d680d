/**
 * The node's picture as ASTERIX CAT062 system tracks (EUROCONTROL-SPEC-0149-9 ed. 1.18): a
 * session observer that, at a configured period, turns the latest picture snapshot into one
 * record per live track and hands the data blocks (each under 1,400 octets, one UDP datagram
 * each) to `send`.
 *
 * Items: I010 the node's SAC/SIC, I015 service id, I070 time of track information (UTC time of
 * day of the estimate), I105 WGS-84 position (via the node's site), I100 Cartesian position
 * (the node's ENU plane, X east, Y north), I185 velocity, I130 geometric altitude (height above
 * the WGS-84 ellipsoid), I040 track
 * number, I080 track status (CNF for tentative tracks, SIM set for simulated data, TSB on a
 * track's first record, TSE on its last — destroyed or dropped), I500 estimated accuracies of
 * the track: APC (east/north 1-sigma position error), ATV (east/north 1-sigma velocity error)
 * and AGA (1-sigma height error) from the tracker's own covariance in the snapshot; for a track
 * the snapshot carries no covariance for, APC and ATV fall back to the accuracy the radar
 * declared for its latest measurement. Values out of an item's range are clamped to it (a
 * ballistic track above 62 km reports I130 at its maximum; an error above 32,767.5 m, APC's
 * maximum).
 */
import { type AsterixRecordInput, encodeBlock } from '../asterix/index.js';
import type { TrackSnapshot } from '../control/control-snapshots.js';
import type { TrackCovarianceSnapshot } from '../control/threat-snapshot.js';
import type { LocalFrame } from '../geo/index.js';
import type { SessionObserver } from '../session/hil-session.js';
import type { BusyTickRecord, CoreSnapshot } from '../session/tick-record-codec.js';

/** Settings of {@link Cat062Output}. */
export interface Cat062OutputOptions {
  /** System Area Code and System Identification Code of this node. */
  readonly sac: number;
  readonly sic: number;
  /** I015 service identification; default 1. */
  readonly serviceId?: number;
  /** Period of the track updates, µs of host time (the picture comes every 200 ms: multiples of it). */
  readonly periodUs: number;
  /** Whether the tracks come from simulated data (sets I080 SIM on every record). */
  readonly simulated: boolean;
  /** The node's ENU frame anchored at its site. */
  readonly frame: LocalFrame;
  /** UTC time of day in seconds for a host time (µs). */
  readonly timeOfDayS: (hostUs: number) => number;
  /** One datagram (one data block). Called synchronously; must not throw. */
  readonly send: (datagram: Uint8Array, hostUs: number) => void;
}

const FT_PER_M = 1 / 0.3048;
const MAX_BLOCK_OCTETS = 1400;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export class Cat062Output implements SessionObserver {
  /** Blocks and records sent. */
  readonly counters = { blocks: 0, records: 0 };
  private nextAtUs = -Infinity;
  private readonly sigmaByRadarTrack = new Map<string, { positionSigmaM: number; velocitySigmaMps: number }>();
  /** Tracks sent last time, by track id, to end them (TSE) when they leave the picture. */
  private reported = new Map<number, TrackSnapshot>();

  constructor(private readonly options: Cat062OutputOptions) {}

  onBusyTick(record: BusyTickRecord): void {
    for (const input of record.inputs) {
      if (input.kind === 'track-measurement') {
        this.sigmaByRadarTrack.set(`${input.radarId}/${input.radarTrackId}`, {
          positionSigmaM: input.positionSigmaM,
          velocitySigmaMps: input.velocitySigmaMps,
        });
      }
    }
  }

  onSnapshot(snapshot: CoreSnapshot['snapshot']): void {
    if (snapshot.nowUs < this.nextAtUs) return;
    // on the period's grid from the first update; after a gap longer than the period, a period from now
    const base = this.nextAtUs === -Infinity ? snapshot.nowUs : this.nextAtUs;
    this.nextAtUs = base + this.options.periodUs;
    if (this.nextAtUs <= snapshot.nowUs) this.nextAtUs = snapshot.nowUs + this.options.periodUs;
    const records: AsterixRecordInput[] = [];
    const live = new Map<number, TrackSnapshot>();
    const covariances = new Map((snapshot.covariances ?? []).map((c) => [c.trackId, c]));
    for (const track of snapshot.tracks) {
      const last = track.destroyed;
      if (!last) live.set(track.trackId, track);
      if (last && !this.reported.has(track.trackId)) continue; // never reported: nothing to end
      records.push(this.recordOf(track, !this.reported.has(track.trackId), last, covariances.get(track.trackId)));
    }
    // dropped from the picture since the last update: one last record (TSE) at the last estimate
    for (const [trackId, track] of this.reported) {
      if (!snapshot.tracks.some((candidate) => candidate.trackId === trackId))
        records.push(this.recordOf(track, false, true));
    }
    this.reported = live;
    this.sendBlocks(records, snapshot.nowUs);
  }

  /** One CAT062 record of a track (its I500 from `covariance` when given, see the file's header). */
  recordOf(
    track: TrackSnapshot,
    first: boolean,
    last: boolean,
    covariance?: TrackCovarianceSnapshot,
  ): AsterixRecordInput {
    const o = this.options;
    const position = o.frame.geodeticOf({ eastM: track.eastM, northM: track.northM, upM: track.upM });
    let sigma: { positionSigmaM: number; velocitySigmaMps: number } | undefined;
    for (const link of track.radarTracks) {
      const s = this.sigmaByRadarTrack.get(`${link.radarId}/${link.radarTrackId}`);
      if (s && (!sigma || s.positionSigmaM < sigma.positionSigmaM)) sigma = s;
    }
    const items: Record<string, unknown> = {
      '010': { SAC: o.sac, SIC: o.sic },
      '015': { SI: o.serviceId ?? 1 },
      '070': { ToT: Math.floor(o.timeOfDayS(track.estimateTimeUs) * 128) / 128 },
      '105': { LAT: position.latDeg, LON: ((position.lonDeg + 540) % 360) - 180 },
      '100': { X: clamp(track.eastM, -4194304, 4194303.5), Y: clamp(track.northM, -4194304, 4194303.5) },
      '185': { VX: clamp(track.eastMps, -8192, 8191.75), VY: clamp(track.northMps, -8192, 8191.75) },
      '040': { TRN: track.trackId % 65536 },
      '080': {
        MON: track.radarTracks.length === 1 ? 1 : 0,
        SPI: 0,
        MRH: 1,
        SRC: 2,
        CNF: track.confirmed ? 0 : 1,
        SIM: o.simulated ? 1 : 0,
        TSE: last ? 1 : 0,
        TSB: first ? 1 : 0,
        FPC: 0,
        AFF: 0,
        STP: 0,
        KOS: 0,
      },
      '130': { ALT: clamp(position.heightM * FT_PER_M, -204800, 204793.75) },
    };
    if (covariance) {
      const sd = (variance: number | undefined): number => Math.sqrt(Math.max(0, variance ?? 0));
      items['500'] = {
        APC: { X: clamp(sd(covariance.varEastM2), 0, 32767.5), Y: clamp(sd(covariance.varNorthM2), 0, 32767.5) },
        ...(covariance.varEastMps2 !== undefined && covariance.varNorthMps2 !== undefined
          ? {
              ATV: {
                X: clamp(sd(covariance.varEastMps2), 0, 63.75),
                Y: clamp(sd(covariance.varNorthMps2), 0, 63.75),
              },
            }
          : {}),
        AGA: { AGA: clamp(sd(covariance.varUpM2) * FT_PER_M, 0, 1593.75) },
      };
    } else if (sigma) {
      items['500'] = {
        APC: { X: clamp(sigma.positionSigmaM, 0, 32767.5), Y: clamp(sigma.positionSigmaM, 0, 32767.5) },
        ATV: { X: clamp(sigma.velocitySigmaMps, 0, 63.75), Y: clamp(sigma.velocitySigmaMps, 0, 63.75) },
      };
    }
    return { category: 62, items: items as AsterixRecordInput['items'] };
  }

  private sendBlocks(records: readonly AsterixRecordInput[], nowUs: number): void {
    let batch: AsterixRecordInput[] = [];
    let size = 3;
    const flush = (): void => {
      if (batch.length === 0) return;
      this.options.send(encodeBlock(62, batch), nowUs);
      this.counters.blocks++;
      this.counters.records += batch.length;
      batch = [];
      size = 3;
    };
    for (const record of records) {
      const octets = encodeBlock(62, [record]).length - 3;
      if (size + octets > MAX_BLOCK_OCTETS) flush();
      batch.push(record);
      size += octets;
    }
    flush();
  }
}
