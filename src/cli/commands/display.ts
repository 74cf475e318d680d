import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/config-error.js';
import { loadBenchConfig } from '../../config/load-bench-config.js';
import { loadScenario } from '../../config/load-scenario.js';
import { layoutOfScenario } from '../../display/display-layout.js';
import { type DisplayAccess, startDisplayServer } from '../../display/display-server.js';
import { BridgeError, loadBrokerCredentials, NodePublicKey } from '../../bridge/index.js';
import { writeConfigIssues } from '../bench-config-file.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, UsageError } from '../command.js';

const HELP = `Usage: shieldlink display --broker URL [--port P] [--host H] [--node ID]
                          [--credentials FILE] [--node-key FILE] [--scenario FILE | --config FILE]

Serve the live tactical display: a web page that subscribes to a node's MQTT tree over
WebSocket (plan view with radars, launchers and envelopes, tracks, interceptors, engagements,
device health, loop timing, weapons control status). Read-only until an operator's private key
file (shieldlink keygen --operator) is loaded in the browser; then it signs commands in the
browser (Ed25519 via WebCrypto; legacy HMAC key files too, docs/mqtt.md). The key stays in the
page, non-extractable, and is never sent.
Status, device states and command results are checked against the node's Ed25519 public key
in the browser: an unsigned status is ignored, unsigned or badly signed data is marked.
The decision ledger panel shows the node's ledger head and each engagement's justification,
verified by this server as \`shieldlink verify --live\` does (needs the node's public key).
Runs until Ctrl-C. \`shieldlink run --display-port P\` serves the same page for a run.
In a joint picture, partner tracks are ringed orange (dashed) and fused tracks green. Open the
page with ?nodes=node-a,node-b (up to four) for those nodes' plan views side by side, each
from its node's topics on this broker (which must carry every listed node's tree), with its
joint state (partners live or stale, ALONE); only --node's data is checked against its key.
An embedded broker takes browsers only from allowed origins: add this page's origin
(http://127.0.0.1:P) to broker.embedded.allowedOrigins in the node's config.

Options:
  --broker URL      the broker's MQTT-over-WebSocket URL, as the browser reaches it
                    (ws://host:port/mqtt or wss://…)
  --port P          HTTP port (default 8080; 0 picks a free one)
  --host H          interface to listen on (default 127.0.0.1)
  --node ID         node to show (default: the first node whose status arrives, or the
                    node of --credentials)
  --credentials FILE the node's broker logins (<output dir>/keys/<node>.mqtt.json): the page
                    logs in as its display user
  --node-key FILE   the node's public key (<node>.node.pub.json); default: beside
                    --credentials. Without one, everything is shown as unverified
  --scenario FILE   draw this scenario's radars, launchers and envelopes
  --config FILE     or the scenario of this bench config (and its node id)

Examples:
  shieldlink display --broker ws://127.0.0.1:9001/mqtt --credentials runs/keys/sim-1.mqtt.json --config hil-configs/sim.yaml
  shieldlink display --broker wss://broker.bench.lan/mqtt --port 0

Exit codes: 0 stopped by Ctrl-C; 2 usage or config error; 3 runtime error (e.g. port in use).`;

/** `--display-port`/`--port`: a TCP port number (0 = any free port). */
export function parseDisplayPort(text: string, option: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`${option}: expected a TCP port 0..65535, got '${text}'`);
  }
  return port;
}

export const displayCommand: Command = {
  path: ['display'],
  summary: 'serve the live tactical display (web page over MQTT on WebSocket)',
  help: HELP,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        broker: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        node: { type: 'string' },
        credentials: { type: 'string' },
        'node-key': { type: 'string' },
        scenario: { type: 'string' },
        config: { type: 'string' },
      },
      allowPositionals: false,
    });
    if (values.broker === undefined) throw new UsageError('--broker URL is required (ws://host:port/mqtt)');
    if (!/^wss?:\/\//.test(values.broker)) {
      throw new UsageError(
        `--broker: browsers connect over WebSocket: expected ws:// or wss://, got '${values.broker}'`,
      );
    }
    if (values.scenario !== undefined && values.config !== undefined)
      throw new UsageError('--scenario and --config exclude each other');
    const port = parseDisplayPort(values.port ?? '8080', '--port');
    let scenarioFile = values.scenario === undefined ? undefined : resolve(values.scenario);
    let nodeId = values.node ?? null;
    try {
      if (values.config !== undefined) {
        const loaded = await loadBenchConfig(values.config);
        nodeId ??= loaded.config.node.id;
        if (loaded.config.scenario !== undefined) scenarioFile = loaded.resolvePath(loaded.config.scenario);
      }
      const layout = scenarioFile === undefined ? null : layoutOfScenario(await loadScenario(scenarioFile));
      let access: DisplayAccess | null = null;
      let ledgerKey: NodePublicKey | null = null;
      try {
        const credentials = values.credentials === undefined ? null : await loadBrokerCredentials(values.credentials);
        nodeId ??= credentials?.nodeId ?? null;
        const beside =
          values.credentials !== undefined && nodeId !== null
            ? join(dirname(values.credentials), `${nodeId}.node.pub.json`)
            : undefined;
        const keyFile = values['node-key'] ?? (beside !== undefined && existsSync(beside) ? beside : undefined);
        const nodeKey = keyFile === undefined ? null : await NodePublicKey.load(keyFile);
        ledgerKey = nodeKey;
        access = {
          username: credentials?.users.display.username ?? null,
          password: credentials?.users.display.password ?? null,
          nodePublicKey: nodeKey?.publicKey ?? null,
        };
        if (nodeKey === null) io.stderr.write('display: no node public key: everything will show as unverified\n');
      } catch (error) {
        if (!(error instanceof BridgeError)) throw error;
        io.stderr.write(`shieldlink display: ${error.message}\n`);
        return EXIT_RUNTIME;
      }
      const server = await startDisplayServer({
        port,
        ...(values.host === undefined ? {} : { host: values.host }),
        brokerUrl: values.broker,
        nodeId,
        layout,
        access,
      });
      io.stderr.write(
        `display: ${server.url}  (broker ${values.broker}${nodeId === null ? '' : `, node ${nodeId}`})\n`,
      );
      // The decision ledger panel: this server follows the node's ledger feed and verifies it.
      if (ledgerKey !== null) server.ledger.setKey(ledgerKey);
      const ledgerFeed =
        ledgerKey === null
          ? null
          : // The MQTT client loads only when a ledger is followed (see the ledger subscriber).
            (await import('../../display/ledger-subscriber.js')).subscribeLedger(
              {
                brokerUrl: values.broker,
                nodeId: ledgerKey.nodeId,
                username: access?.username ?? null,
                password: access?.password ?? null,
              },
              server.ledger,
            );
      await new Promise<void>((resolveStop) => process.once('SIGINT', () => resolveStop()));
      await ledgerFeed?.close();
      await server.close();
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeConfigIssues(error, io.stderr);
      return EXIT_USAGE;
    }
  },
};
