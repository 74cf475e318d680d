/**
 * An ASTERIX radar on the bench: CAT048 target reports and CAT034 service messages arriving as
 * UDP datagrams (`udp://0.0.0.0:PORT` unicast, or `udp://GROUP:PORT` for a multicast group,
 * joined on every interface or `?iface=ADDRESS`), or handed over by a memory link in virtual
 * time (`handleDatagram`). Target reports become the same control inputs as the serial radar's
 * TRACK_REPORT / TRACK_DROP (see cat048-measurement.ts); CAT034 north markers and sector
 * crossings are the radar's heartbeat: without one for `staleAfterUs` the source is `stale`
 * (reported through `onStatus`, counted), and `active` again with the next one.
 *
 * CAT048 carries no vertical speed. The source derives it per track from the heights of the
 * track's two latest plots (at most MAX_RATE_GAP_US apart), and widens the velocity sigma by the
 * rate's own uncertainty (√2 · position sigma / Δt); a track's first plot only primes the rate
 * (counted as `firstPlots`), so a climbing or falling target never enters the tracker with a
 * vertical speed of 0 held as certain.
 *
 * Bad input never stops it: malformed blocks are dropped and counted by the decoder, refused
 * reports are counted by reason. Datagrams over 65,507 octets cannot arrive (UDP); the socket's
 * receive buffer is the OS's bound.
 */
import { createSocket, type Socket } from 'node:dgram';
import { AsterixDecoder, type AsterixRecord } from '../asterix/index.js';
import type { ControlInput } from '../control/control-inputs.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { isMulticastGroup } from './udp-sender.js';
import { type Cat048RadarContext, type Cat048RefusalReason, cat048Measurement } from './cat048-measurement.js';

/** `udp://HOST:PORT[?iface=ADDRESS]`; HOST 0.0.0.0 (unicast on every interface) or a multicast group. */
export interface UdpLinkUrl {
  readonly host: string;
  readonly port: number;
  readonly multicast: boolean;
  readonly iface?: string;
}

/** A link URL that is not a usable UDP address. */
export class UdpLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UdpLinkError';
  }
}

export function parseUdpLinkUrl(text: string): UdpLinkUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UdpLinkError(`${text}: not a URL (expected udp://HOST:PORT)`);
  }
  if (url.protocol !== 'udp:') throw new UdpLinkError(`${text}: expected udp://HOST:PORT`);
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UdpLinkError(`${text}: port must be 0-65535 (0: any free port)`);
  const host = url.hostname;
  const multicast = isMulticastGroup(host);
  const iface = url.searchParams.get('iface') ?? undefined;
  if (iface !== undefined && !multicast) throw new UdpLinkError(`${text}: ?iface= is for a multicast group only`);
  return { host, port, multicast, ...(iface ? { iface } : {}) };
}

/** Counters of one source (cumulative). */
export interface AsterixRadarCounters {
  datagrams: number;
  records: number;
  measurements: number;
  drops: number;
  serviceMessages: number;
  /** Plots that only primed a track's vertical rate (its first, or after a gap). */
  firstPlots: number;
  malformedBlocks: number;
  refused: Record<Cat048RefusalReason, number>;
  staleEpisodes: number;
}

export interface AsterixRadarSourceOptions {
  readonly radarId: string;
  readonly clock: Clock;
  readonly context: Cat048RadarContext;
  /** Stale after this long without a CAT034 north marker or sector crossing; default 10 s. */
  readonly staleAfterUs?: number;
  /** Where the control inputs go (the session's input adapter), with its sequence numbers. */
  readonly emit: (input: ControlInput) => void;
  readonly nextSeq: (sourceId: string) => number;
  readonly onStatus?: (status: 'active' | 'stale', atHostUs: number) => void;
}

/** Two plots of a track further apart than this give no vertical rate (the first primes it again). */
export const MAX_RATE_GAP_US = 30_000_000;

export class AsterixRadarSource {
  readonly counters: AsterixRadarCounters = {
    datagrams: 0,
    records: 0,
    measurements: 0,
    drops: 0,
    serviceMessages: 0,
    firstPlots: 0,
    malformedBlocks: 0,
    refused: { 'other-source': 0, incomplete: 0, 'no-height': 0, simulated: 0, 'test-target': 0, ghost: 0 },
    staleEpisodes: 0,
  };
  /** `waiting` until the first service message. */
  status: 'waiting' | 'active' | 'stale' = 'waiting';
  private readonly decoder = new AsterixDecoder();
  private socket: Socket | undefined;
  private watchdog: TimerHandle | undefined;
  private lastServiceUs = 0;
  private receivedAtUs = 0;
  private readonly staleAfterUs: number;
  /** Per I161 track number (12 bits: at most 4096 entries): its latest plot's height and time. */
  private readonly lastPlot = new Map<number, { upM: number; atUs: number }>();

  constructor(private readonly options: AsterixRadarSourceOptions) {
    this.staleAfterUs = options.staleAfterUs ?? 10_000_000;
  }

  /** Bind a UDP socket for `link` (and join its multicast group). Rejects with UdpLinkError. */
  async listen(link: string): Promise<{ port: number }> {
    const url = parseUdpLinkUrl(link);
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (message) => this.handleDatagram(message, this.options.clock.nowUs()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => reject(new UdpLinkError(`${link}: ${error.message}`)));
      socket.bind(url.port, url.multicast ? undefined : url.host, () => resolve());
    });
    if (url.multicast) {
      try {
        socket.addMembership(url.host, url.iface);
      } catch (error) {
        socket.close();
        throw new UdpLinkError(
          `${link}: cannot join ${url.host}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.socket = socket;
    this.armWatchdog();
    return { port: socket.address().port };
  }

  /** Start the staleness watchdog without a socket (memory links in virtual time). */
  startWithoutSocket(): void {
    this.armWatchdog();
  }

  stop(): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
    this.socket?.close();
    this.socket = undefined;
  }

  /** One datagram, received at `receivedAtHostUs`. Never throws. */
  handleDatagram(bytes: Uint8Array, receivedAtHostUs: number): void {
    this.counters.datagrams++;
    this.receivedAtUs = receivedAtHostUs;
    const before = this.decoder.counters.malformedBlocks;
    this.decoder.decode(bytes, this);
    this.counters.malformedBlocks += this.decoder.counters.malformedBlocks - before;
  }

  /** AsterixSink: one decoded record. */
  record(record: AsterixRecord): void {
    this.counters.records++;
    if (record.category === 34) this.serviceMessage(record);
    else if (record.category === 48) this.targetReport(record);
  }

  private serviceMessage(record: AsterixRecord): void {
    const source = record.items.get('010') as { SAC?: number; SIC?: number } | undefined;
    const ctx = this.options.context;
    if (
      !source ||
      (ctx.sac !== undefined && source.SAC !== ctx.sac) ||
      (ctx.sic !== undefined && source.SIC !== ctx.sic)
    )
      return;
    const type = (record.items.get('000') as { MessageType?: number } | undefined)?.MessageType;
    if (type !== 1 && type !== 2) return;
    this.counters.serviceMessages++;
    this.lastServiceUs = this.receivedAtUs;
    if (this.status !== 'active') {
      this.status = 'active';
      this.options.onStatus?.('active', this.receivedAtUs);
    }
  }

  private targetReport(record: AsterixRecord): void {
    const { radarId } = this.options;
    const result = cat048Measurement(record, this.receivedAtUs, this.options.context);
    if (result.kind === 'refused') {
      this.counters.refused[result.reason]++;
      return;
    }
    if (result.kind === 'drop') {
      this.lastPlot.delete(result.trackNumber);
      this.counters.drops++;
      this.options.emit({
        kind: 'track-drop',
        receivedAtUs: this.receivedAtUs,
        sourceId: radarId,
        seq: this.options.nextSeq(radarId),
        radarId,
        radarTrackId: result.trackNumber,
        dropTimeUs: result.hostUs,
        reason: 'lost',
      });
      return;
    }
    const previous = this.lastPlot.get(result.trackNumber);
    this.lastPlot.set(result.trackNumber, { upM: result.position.upM, atUs: result.measurementHostUs });
    const dtUs = previous === undefined ? 0 : result.measurementHostUs - previous.atUs;
    if (previous === undefined || dtUs <= 0 || dtUs > MAX_RATE_GAP_US) {
      this.counters.firstPlots++;
      return;
    }
    const upMps = ((result.position.upM - previous.upM) * 1e6) / dtUs;
    const rateSigmaMps = (Math.SQRT2 * result.positionSigmaM * 1e6) / dtUs;
    this.counters.measurements++;
    this.options.emit({
      kind: 'track-measurement',
      receivedAtUs: this.receivedAtUs,
      sourceId: radarId,
      seq: this.options.nextSeq(radarId),
      radarId,
      radarTrackId: result.trackNumber,
      measurementTimeUs: result.measurementHostUs,
      eastM: result.position.eastM,
      northM: result.position.northM,
      upM: result.position.upM,
      eastMps: result.velocity.eastM,
      northMps: result.velocity.northM,
      upMps,
      positionSigmaM: result.positionSigmaM,
      velocitySigmaMps: Math.max(result.velocitySigmaMps, rateSigmaMps),
      quality: result.quality,
      iff: result.iff,
    });
  }

  private armWatchdog(): void {
    const period = Math.max(1000, Math.floor(this.staleAfterUs / 4));
    const check = (): void => {
      const now = this.options.clock.nowUs();
      if (this.status === 'active' && now - this.lastServiceUs > this.staleAfterUs) {
        this.status = 'stale';
        this.counters.staleEpisodes++;
        this.options.onStatus?.('stale', now);
      }
      this.watchdog = this.options.clock.setTimer(period, check);
    };
    this.watchdog = this.options.clock.setTimer(period, check);
  }
}
