import { loadScenario } from '../config/load-scenario.js';
import { layoutOfScenario } from './display-layout.js';
import { type DisplayServer, startDisplayServer } from './display-server.js';

/** Options of {@link startRunDisplay}. */
export interface RunDisplayOptions {
  readonly port: number;
  readonly host?: string;
  readonly nodeId: string;
  /** The run's scenario file: its radars, launchers and envelopes are the plan view's layout. */
  readonly scenarioFile: string | undefined;
}

/**
 * The display of `shieldlink run --display-port P`: the page, with the scenario's layout and the
 * node id; the broker URL follows once the bridge is up (`setBroker`).
 */
export async function startRunDisplay(options: RunDisplayOptions): Promise<DisplayServer> {
  const layout = options.scenarioFile === undefined ? null : layoutOfScenario(await loadScenario(options.scenarioFile));
  return startDisplayServer({
    port: options.port,
    ...(options.host === undefined ? {} : { host: options.host }),
    nodeId: options.nodeId,
    layout,
  });
}

/** The URL a browser uses for a bridge's broker: its WebSocket URL, or the URL itself when ws(s). */
export function browserBrokerUrl(bridge: { url: string; wsUrl: string | null }): string | null {
  return bridge.wsUrl ?? (/^wss?:\/\//.test(bridge.url) ? bridge.url : null);
}
