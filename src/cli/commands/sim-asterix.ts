/**
 * `shieldlink sim --asterix DEVICE=udp://HOST:PORT?sac=N&sic=N&site=LAT,LON,H`: a scenario radar
 * simulated as an ASTERIX radar, sending each scan (CAT034 north marker, CAT048 target reports)
 * as one UDP datagram to HOST:PORT in real time, instead of speaking the serial ICD on a link.
 */
import { SimulatedAsterixRadar } from '../../../firmware-sim/asterix/asterix-radar-sim.js';
import type { World } from '../../../firmware-sim/index.js';
import type { Scenario } from '../../config/scenario-schema.js';
import { timeOfDayOn } from '../../compose/asterix-radars.js';
import { type UdpSender, openUdpSender } from '../../asterix-io/udp-sender.js';
import { parseUdpLinkUrl } from '../../asterix-io/asterix-radar-source.js';
import { type GeodeticPosition, LocalFrame } from '../../geo/index.js';
import { anchoredWallClock } from '../../time/anchored-wall-clock.js';
import type { Clock } from '../../time/clock.js';
import { UsageError } from '../command.js';

/** One `--asterix` option: where the radar sends, its SAC/SIC and its WGS-84 site. */
export interface SimAsterixOption {
  readonly deviceId: string;
  /** The destination as given, without the sac/sic/site parameters. */
  readonly link: string;
  readonly host: string;
  readonly port: number;
  readonly iface?: string;
  readonly sac: number;
  readonly sic: number;
  readonly site: GeodeticPosition;
}

/** Parse `LAT,LON,H` (degrees, degrees, metres); a usage error names the option. */
export function parseSite(text: string, option: string): GeodeticPosition {
  const parts = text.split(',').map((p) => Number(p));
  const [latDeg, lonDeg, heightM] = parts;
  if (
    parts.length !== 3 ||
    !parts.every((p) => Number.isFinite(p)) ||
    Math.abs(latDeg!) > 90 ||
    Math.abs(lonDeg!) > 180
  )
    throw new UsageError(`${option} ${text}: expected LAT,LON,HEIGHT (degrees, degrees, metres)`);
  return { latDeg: latDeg!, lonDeg: lonDeg!, heightM: heightM! };
}

/** Parse one `--asterix DEVICE=udp://HOST:PORT?sac=N&sic=N&site=LAT,LON,H` (usage errors). */
export function parseAsterixOption(text: string): SimAsterixOption {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--asterix ${text}: expected DEVICE=udp://HOST:PORT?site=LAT,LON,H`);
  const deviceId = text.slice(0, eq);
  let url: URL;
  try {
    url = new URL(text.slice(eq + 1));
  } catch {
    throw new UsageError(`--asterix ${text}: not a URL (expected udp://HOST:PORT?site=LAT,LON,H)`);
  }
  const byte = (name: string): number => {
    const raw = url.searchParams.get(name);
    url.searchParams.delete(name);
    const value = raw === null ? 0 : Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 255)
      throw new UsageError(`--asterix ${text}: ${name} must be 0-255`);
    return value;
  };
  const sac = byte('sac');
  const sic = byte('sic');
  const siteText = url.searchParams.get('site');
  url.searchParams.delete('site');
  if (siteText === null) throw new UsageError(`--asterix ${text}: site=LAT,LON,H is required (the radar's site)`);
  const site = parseSite(siteText, `--asterix ${deviceId} site=`);
  const link = url.toString();
  let parsed;
  try {
    parsed = parseUdpLinkUrl(link);
  } catch (error) {
    throw new UsageError(`--asterix ${deviceId}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed.port === 0) throw new UsageError(`--asterix ${deviceId}: the destination needs a port (not 0)`);
  // 0.0.0.0 is a listener's "every interface": the datagrams go to loopback.
  const host = parsed.host === '0.0.0.0' ? '127.0.0.1' : parsed.host;
  return {
    deviceId,
    link,
    host,
    port: parsed.port,
    ...(parsed.iface === undefined ? {} : { iface: parsed.iface }),
    sac,
    sic,
    site,
  };
}

/** The simulated ASTERIX radars of a `sim` run, their UDP senders open. */
export interface SimAsterixRadars {
  readonly radars: readonly SimulatedAsterixRadar[];
  /** Start scanning (after the simulator started: the world must run). */
  start(): void;
  /** Stop scanning and close the sockets. Idempotent. */
  stop(): void;
}

/**
 * One SimulatedAsterixRadar per option on the simulator's world, time of day from this process's
 * wall clock anchored on `clock` (the radar is UTC-synchronised, as the host's clock is).
 * Rejects with the OS's error when a socket cannot be opened (a bad multicast iface).
 */
export async function openSimAsterixRadars(
  options: readonly SimAsterixOption[],
  scenario: Scenario,
  world: World,
  clock: Clock,
  benchSite: GeodeticPosition,
): Promise<SimAsterixRadars> {
  const timeOfDayS = timeOfDayOn(clock, anchoredWallClock(clock));
  const benchFrame = new LocalFrame(benchSite);
  const senders: UdpSender[] = [];
  const radars: SimulatedAsterixRadar[] = [];
  for (const option of options) {
    const spec = scenario.radars.find((r) => r.id === option.deviceId)!;
    const sender = await openUdpSender(option.host, option.port, option.iface);
    senders.push(sender);
    const radar = new SimulatedAsterixRadar({
      spec,
      world,
      clock,
      seed: scenario.seed,
      benchFrame,
      radarFrame: new LocalFrame(option.site),
      sac: option.sac,
      sic: option.sic,
    });
    radar.attach({ timeOfDayS, send: (datagram) => sender.send(datagram) });
    radars.push(radar);
  }
  return {
    radars,
    start: () => radars.forEach((radar) => radar.start()),
    stop: () => {
      radars.forEach((radar) => radar.stop());
      for (const sender of senders.splice(0)) sender.close();
    },
  };
}
