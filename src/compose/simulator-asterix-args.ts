import type { BenchConfig } from '../config/bench-config-schema.js';
import { DEFAULT_SITE } from '../geo/index.js';

/**
 * The `shieldlink sim` options that make the simulator process send the bench's simulated
 * ASTERIX radars over UDP to where the host listens: one `--asterix` per `devices.asterixRadars`
 * entry (its link, which must name a port — the config check refuses port 0 in the PTY
 * placement — with its site, SAC and SIC) and `--bench-site` (the scenario frame's origin).
 * A listener on 0.0.0.0 is sent to on 127.0.0.1 (the simulator does that).
 */
export function simulatorAsterixArgs(config: BenchConfig): string[] {
  const radars = config.devices.asterixRadars ?? [];
  if (radars.length === 0) return [];
  const site = config.site ?? DEFAULT_SITE;
  const args = ['--bench-site', `${site.latDeg},${site.lonDeg},${site.heightM}`];
  for (const radar of radars) {
    const url = new URL(radar.link);
    url.searchParams.set('site', `${radar.site.latDeg},${radar.site.lonDeg},${radar.site.heightM}`);
    url.searchParams.set('sac', String(radar.sac ?? 0));
    url.searchParams.set('sic', String(radar.sic ?? 0));
    args.push('--asterix', `${radar.id}=${url.toString()}`);
  }
  return args;
}
