import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NodeKey } from '../bridge/index.js';
import { DEFAULT_SITE } from '../geo/index.js';
import type { ControlConfig, GroundArea, TrackSnapshot } from '../control/index.js';
import type { ConfigEntry, DefendedAsset, LedgerEntry, TrackState } from '../ledger/ledger-entry.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import { predictImpact } from '../ledger/predict-impact.js';
import type { SessionObserver } from '../session/hil-session.js';
import type { BusyTickRecord, CoreSnapshot } from '../session/tick-record-codec.js';
import type { EngagementEvent } from '../control/control-events.js';

/** A signed head at least this often (run clock) while entries wait unsigned. */
export const LEDGER_HEAD_PERIOD_US = 10_000_000;

/** What the run knows of its ledger at the end. */
export interface LedgerSummary {
  readonly file: string;
  readonly nodeId: string;
  readonly keyId: string;
  /** `keys/<node>.node.pub.json`: what a partner verifies the ledger with. */
  readonly publicKeyFile: string;
  readonly entries: number;
  readonly heads: number;
}

/** Options of {@link DecisionLedger.open}. */
export interface DecisionLedgerOptions {
  readonly file: string;
  /** Directory of the node key (`<node>.node.key.json`, made 0600 on first use, as the bridge does). */
  readonly keysDir: string;
  readonly nodeId: string;
  readonly configHash: string;
  readonly scenario: string;
  readonly seed: number;
  readonly controlConfig: ControlConfig;
  /** Run clock, µs. */
  readonly nowUs: () => number;
  /** Wall clock, Unix ms (fixed-epoch virtual time in virtual runs: the ledger stays repeatable). */
  readonly wallClock: () => number;
  /**
   * The bench's WGS-84 site (the ENU origin; default {@link DEFAULT_SITE}), declared so partners
   * can map the node's claims into their own frame.
   */
  readonly site?: { readonly latDeg: number; readonly lonDeg: number; readonly heightM: number } | undefined;
  /** Told of every line written, in order (the live feed on `shared/ledger`). */
  readonly onLine?: (line: string) => void;
}

/**
 * The run's decision ledger (docs/recording.md §The decision ledger): a session observer that
 * turns the control core's decisions into ledger entries — the config and declared assets at
 * start, weapons control changes and the operator commands behind them, launcher readiness
 * (arming), every engagement decision with the track state, predicted impact and rule that
 * justified it, every FIRE and every outcome — and signs a tree head at start, at every
 * engagement decision and FIRE, every {@link LEDGER_HEAD_PERIOD_US} and at close. It only
 * observes: the control loop runs the same with or without it. A write error ends the ledger
 * (reported by `close`), never the run.
 */
export class DecisionLedger implements SessionObserver {
  private readonly tracks = new Map<number, TrackSnapshot>();
  private readonly firstSeen = new Map<number, { eastM: number; northM: number; upM: number; atUs: number }>();
  private wcs = 'hold';
  private lastHeadUs = 0;
  private error: Error | undefined;
  /**
   * Entries held back (in order) because a decision's track was not yet in any picture (a
   * track confirmed and engaged between two snapshots): they go out with the next snapshot, the
   * decision with the track state of that snapshot (its `estimateTimeUs` says when).
   */
  private readonly held: { make: () => LedgerEntry; head: boolean }[] = [];

  private constructor(
    private readonly options: DecisionLedgerOptions,
    private readonly key: NodeKey,
    private readonly writer: LedgerWriter,
    private readonly out: WriteStream,
    private readonly config: ConfigEntry,
  ) {
    out.on('error', (error) => (this.error ??= error));
  }

  static async open(options: DecisionLedgerOptions): Promise<DecisionLedger> {
    await mkdir(options.keysDir, { recursive: true, mode: 0o700 });
    await chmod(options.keysDir, 0o700);
    const { key } = await NodeKey.loadOrCreate(
      join(options.keysDir, `${options.nodeId}.node.key.json`),
      options.nodeId,
    );
    await mkdir(dirname(options.file), { recursive: true });
    const out = createWriteStream(options.file);
    const writer = new LedgerWriter(key);
    const ledger = new DecisionLedger(options, key, writer, out, configEntry(options));
    ledger.write(writer.header());
    ledger.append(ledger.config);
    ledger.signHead();
    return ledger;
  }

  /** An operator command as the authorized path audited it (command and outcome records). */
  recordAudit(nowUs: number, audit: unknown): void {
    const kind = (audit as { kind?: unknown } | null)?.kind;
    if (kind !== 'command' && kind !== 'outcome') return;
    this.enqueue(() => ({ type: 'operator-command', atUs: nowUs, audit }), false);
  }

  onSnapshot(snapshot: CoreSnapshot['snapshot']): void {
    this.tracks.clear();
    for (const track of snapshot.tracks) {
      this.tracks.set(track.trackId, track);
      if (!this.firstSeen.has(track.trackId)) {
        this.firstSeen.set(track.trackId, {
          eastM: track.eastM,
          northM: track.northM,
          upM: track.upM,
          atUs: snapshot.nowUs,
        });
      }
    }
    for (const id of this.firstSeen.keys()) if (!this.tracks.has(id)) this.firstSeen.delete(id);
    this.flushHeld();
    this.maybePeriodicHead(snapshot.nowUs);
  }

  onBusyTick(record: BusyTickRecord): void {
    for (const event of record.events) {
      if (event.kind === 'weapons-control') {
        this.wcs = event.to;
        this.enqueue(
          () => ({
            type: 'weapons-control',
            atUs: event.atUs,
            from: event.from,
            to: event.to,
            requestId: event.requestId,
            operatorIds: event.operatorIds,
          }),
          false,
        );
      } else if (event.kind === 'launcher-readiness') {
        this.enqueue(
          () => ({
            type: 'launcher-readiness',
            atUs: event.atUs,
            launcherId: event.launcherId,
            ready: event.ready,
            reasons: event.reasons,
          }),
          false,
        );
      } else if (event.kind === 'engagement') {
        if (event.transition === 'planned' || event.transition === 'replanned') {
          const wcs = this.wcs;
          if (!this.tracks.has(event.trackId)) this.held.push({ make: () => this.decision(event, wcs), head: true });
          else this.enqueue(() => this.decision(event, wcs), true);
        } else if (event.transition === 'fire-sent') {
          this.enqueue(
            () => ({
              type: 'fire',
              atUs: event.atUs,
              engagementId: event.engagementId,
              trackId: event.trackId,
              launcherId: event.launcherId,
              fireCommandId: event.fireCommandId,
              launchAtHostUs: event.launchAtHostUs,
            }),
            true,
          );
        } else {
          this.enqueue(
            () => ({
              type: 'outcome',
              atUs: event.atUs,
              engagementId: event.engagementId,
              trackId: event.trackId,
              transition: event.transition,
              state: event.state,
              result: event.result,
              reason: event.reason ?? event.nakReason,
            }),
            false,
          );
        }
      }
    }
    this.maybePeriodicHead(record.nowUs);
  }

  /** The decision entry of an engagement event, with the track as last pictured. */
  private decision(event: EngagementEvent, wcs: string): LedgerEntry {
    const track = this.trackState(event.trackId);
    const rule = `${track?.operatorPriority === true ? 'operator' : 'auto'}:${wcs}:${track?.iff ?? 'no-track'}`;
    return {
      type: 'engagement-decision',
      atUs: event.atUs,
      transition: event.transition === 'replanned' ? 'replanned' : 'planned',
      engagementId: event.engagementId,
      trackId: event.trackId,
      launcherId: event.launcherId,
      weaponsControlStatus: wcs,
      rule,
      track,
      predictedImpact:
        track === null ? null : predictImpact(track, this.config.gravityMps2, this.config.defendedAssets),
      aim: { eastM: event.aimEastM, northM: event.aimNorthM, upM: event.aimUpM },
      launchAtHostUs: event.launchAtHostUs,
      interceptAtHostUs: event.interceptAtHostUs,
    };
  }

  private enqueue(make: () => LedgerEntry, head: boolean): void {
    if (this.held.length > 0) this.held.push({ make, head });
    else {
      this.append(make());
      if (head) this.signHead();
    }
  }

  private flushHeld(): void {
    const held = this.held.splice(0);
    for (const { make, head } of held) {
      this.append(make());
      if (head) this.signHead();
    }
  }

  /** Sign the final head and close the file; throws the first write error, if any. */
  async close(): Promise<LedgerSummary> {
    this.flushHeld();
    this.write(this.writer.head(this.options.wallClock(), true));
    await new Promise<void>((resolve) => this.out.end(resolve));
    if (this.error !== undefined) throw this.error;
    return {
      file: this.options.file,
      nodeId: this.key.nodeId,
      keyId: this.key.keyId,
      publicKeyFile: join(this.options.keysDir, `${this.options.nodeId}.node.pub.json`),
      entries: this.writer.size,
      heads: this.headsWritten + 1,
    };
  }

  private headsWritten = 0;

  private trackState(trackId: number): TrackState | null {
    const t = this.tracks.get(trackId);
    if (t === undefined) return null;
    return {
      trackId,
      estimateTimeUs: t.estimateTimeUs,
      eastM: t.eastM,
      northM: t.northM,
      upM: t.upM,
      eastMps: t.eastMps,
      northMps: t.northMps,
      upMps: t.upMps,
      iff: t.iff,
      model: t.model,
      quality: t.quality,
      operatorPriority: t.operatorPriority,
      firstSeen: this.firstSeen.get(trackId) ?? null,
    };
  }

  private maybePeriodicHead(nowUs: number): void {
    if (this.writer.unsignedEntries > 0 && nowUs - this.lastHeadUs >= LEDGER_HEAD_PERIOD_US) this.signHead();
  }

  private append(entry: LedgerEntry): void {
    if (this.error !== undefined) return;
    try {
      this.write(this.writer.append(entry));
    } catch (error) {
      this.error = error as Error;
    }
  }

  private signHead(): void {
    if (this.error !== undefined) return;
    this.lastHeadUs = this.options.nowUs();
    this.headsWritten++;
    this.write(this.writer.head(this.options.wallClock()));
  }

  private write(line: string): void {
    this.out.write(line + '\n');
    this.options.onLine?.(line);
  }
}

/** A defended asset of the core's config as the ledger declares it (circle, or polygon with its centroid). */
function declaredAsset(id: string, area: GroundArea): DefendedAsset {
  if (area.kind === 'circle')
    return {
      id,
      position: { eastM: area.eastM, northM: area.northM, upM: 0 },
      radiusM: area.radiusM,
      source: 'config',
    };
  const n = area.vertices.length;
  const eastM = area.vertices.reduce((sum, v) => sum + v.eastM, 0) / n;
  const northM = area.vertices.reduce((sum, v) => sum + v.northM, 0) / n;
  const radiusM = Math.max(...area.vertices.map((v) => Math.hypot(v.eastM - eastM, v.northM - northM)));
  const vertices = area.vertices.map((v) => ({ eastM: v.eastM, northM: v.northM }));
  return { id, position: { eastM, northM, upM: 0 }, radiusM, vertices, source: 'config' };
}

/** The config entry: launchers and envelopes, weapons rules, and the defended assets declared. */
function configEntry(options: DecisionLedgerOptions): ConfigEntry {
  const c = options.controlConfig;
  const site = options.site ?? DEFAULT_SITE;
  const declared: DefendedAsset[] = [
    ...c.defendedPoints.map((p) => ({
      id: p.id,
      position: { eastM: p.position.eastM, northM: p.position.northM, upM: p.position.upM },
      radiusM: p.radiusM,
      source: 'config' as const,
    })),
    ...c.defendedAssets.map((a) => declaredAsset(a.id, a.area)),
  ];
  // No defended point configured: the node declares the area its launchers defend — the disc
  // around the frame origin (the bench site) reaching as far as its longest-ranged launcher.
  const assets: DefendedAsset[] =
    declared.length > 0
      ? declared
      : [
          {
            id: 'node-area',
            position: { eastM: 0, northM: 0, upM: 0 },
            radiusM: Math.max(
              ...c.launchers.map((l) => Math.hypot(l.position.eastM, l.position.northM) + l.envelope.maxRangeM),
            ),
            source: 'node-area',
          },
        ];
  return {
    type: 'config',
    atUs: options.nowUs(),
    nodeId: options.nodeId,
    configHash: options.configHash,
    scenario: options.scenario,
    seed: options.seed,
    tickPeriodUs: c.tickPeriodUs,
    gravityMps2: c.tracking.gravityMps2,
    engageable: { hold: [], tight: ['hostile'], free: ['hostile', 'unknown'] },
    launchers: c.launchers.map((l) => ({
      id: l.id,
      position: { eastM: l.position.eastM, northM: l.position.northM, upM: l.position.upM },
      envelope: {
        minRangeM: l.envelope.minRangeM,
        maxRangeM: l.envelope.maxRangeM,
        maxAltitudeM: l.envelope.maxAltitudeM,
      },
    })),
    defendedAssets: assets,
    site: { latDeg: site.latDeg, lonDeg: site.lonDeg, heightM: site.heightM },
    epochUs: Math.round(options.wallClock() * 1000 - options.nowUs()),
  };
}
