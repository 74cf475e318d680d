import { Cat062Output } from '../asterix-io/cat062-output.js';
import { parseUdpLinkUrl } from '../asterix-io/asterix-radar-source.js';
import { type UdpSender, openUdpSender } from '../asterix-io/udp-sender.js';
import type { BenchConfig } from '../config/bench-config-schema.js';
import { DEFAULT_SITE, LocalFrame } from '../geo/index.js';
import type { Clock } from '../time/clock.js';
import { timeOfDayOn } from './asterix-radars.js';

/** The run's CAT062 output: a session observer and the socket it sends on. */
export interface Cat062Feed {
  readonly output: Cat062Output;
  /** Blocks and records made, datagrams sent and failed sends. */
  counters(): Record<string, number>;
  close(): void;
}

/**
 * `output.cat062` of a bench config as a running output: the picture as CAT062 system tracks
 * every `periodMs`, with the node's SAC/SIC, I080 SIM set on a simulated bench, positions
 * through the bench's site, sent to the configured UDP address (a multicast group leaves by
 * `?iface=`'s interface when given). Undefined when not configured.
 */
export async function openCat062Feed(
  config: BenchConfig,
  clock: Clock,
  wallClockMs: () => number,
  simulated: boolean,
): Promise<Cat062Feed | undefined> {
  const settings = config.output.cat062;
  if (settings === undefined) return undefined;
  const url = parseUdpLinkUrl(settings.link);
  const sender: UdpSender = await openUdpSender(url.host, url.port, url.iface);
  const output = new Cat062Output({
    sac: settings.sac,
    sic: settings.sic,
    serviceId: settings.serviceId,
    periodUs: settings.periodMs * 1000,
    simulated,
    frame: new LocalFrame(config.site ?? DEFAULT_SITE),
    timeOfDayS: timeOfDayOn(clock, wallClockMs),
    send: (datagram) => sender.send(datagram),
  });
  return {
    output,
    counters: () => ({ ...output.counters, sent: sender.counters.sent, sendErrors: sender.counters.errors }),
    close: () => sender.close(),
  };
}
