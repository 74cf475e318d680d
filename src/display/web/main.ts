/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import mqtt, { type MqttClient } from 'mqtt';
import type { DisplayLayout } from '../display-layout.js';
import { DisplayState } from './display-state.js';
import { LedgerPanel } from './ledger-panel.js';
import { isSignedTopic, NodeSignatureChecker, type SignatureMark } from './node-signature.js';
import { OperatorConsole } from './operator-console.js';
import { Panels, renderLegend } from './panels.js';
import { PlanView } from './plan-view.js';
import { AssociationLayer } from './association-layer.js';
import { JointLayer } from './joint-layer.js';
import { SideBySide } from './side-by-side.js';
import { ThreatLayer } from './threat-layer.js';

/** What the display server says in /config.json (query parameters `broker`, `node` override). */
interface DisplayConfig {
  readonly brokerUrl: string | null;
  readonly nodeId: string | null;
  /** The broker login of the node's display user (the embedded broker refuses anonymous clients). */
  readonly username?: string | null;
  readonly password?: string | null;
  /** The node's Ed25519 public key (base64url): status, device states and results are checked with it. */
  readonly nodePublicKey?: string | null;
}

/** What the page exposes for tests and the curious: `window.__display`. */
interface DisplayHandle {
  readonly state: DisplayState;
  connection: string;
  errors: string[];
  tracks(): { trackId: string; iff: string; eastM: number; northM: number }[];
  engagements(): { engagementId: string; state: string; launcherId: string }[];
  /** Where the plan view draws an ENU point (CSS pixels in the canvas). */
  screenOf(eastM: number, northM: number): [number, number];
  /** The threat layer: assets and IPP ellipses as drawn. */
  readonly threats: ThreatLayer;
}

declare global {
  interface Window {
    __display?: DisplayHandle;
  }
}

async function fetchJson<T>(path: string): Promise<T | null> {
  try {
    const res = await fetch(path, { cache: 'no-store' });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

function subscriptionsOf(node: string): string[] {
  const root = `shieldlink/v1/${node}`;
  return ['status', 'devices/+/state', 'tracks', 'threats', 'engagements/+', 'metrics', 'commands/result'].map(
    (t) => `${root}/${t}`,
  );
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const config = (await fetchJson<DisplayConfig>('/config.json')) ?? { brokerUrl: null, nodeId: null };
  const layout = await fetchJson<DisplayLayout>('/layout.json');
  const brokerUrl = params.get('broker') ?? config.brokerUrl;
  const nodeId = params.get('node') ?? config.nodeId;
  const state = new DisplayState(nodeId);
  const checker = await NodeSignatureChecker.create(params.get('nodeKey') ?? config.nodePublicKey ?? null);
  state.nodeKeyKnown = checker.hasKey;
  const handle: DisplayHandle = {
    state,
    connection: 'connecting',
    errors: [],
    tracks: () =>
      [...state.tracks.values()].map((t) => ({ trackId: t.trackId, iff: t.iff, eastM: t.eastM, northM: t.northM })),
    engagements: () =>
      [...state.engagements.values()].map((e) => ({
        engagementId: e.engagementId,
        state: e.state,
        launcherId: e.launcherId,
      })),
    screenOf: () => [0, 0],
    threats: new ThreatLayer(),
  };
  const plan = new PlanView(document.getElementById('plan-canvas') as HTMLCanvasElement, state, layout);
  handle.screenOf = (eastM, northM) => plan.toScreen(eastM, northM);
  plan.layers.push(handle.threats);
  window.__display = handle;
  document.getElementById('scenario')!.textContent = layout?.scenario ?? '';
  const panels = new Panels(state);
  renderLegend();
  plan.layers.push(
    new JointLayer(state, document.getElementById('legend')),
    new AssociationLayer(state, document.getElementById('legend')),
  );
  const sideBySide = SideBySide.fromParams(params, document.getElementById('plan')!, layout, nodeId, checker.hasKey);
  new LedgerPanel(document.getElementById('ledger')!).start();

  if (brokerUrl === null) {
    handle.connection = 'not configured (add ?broker=ws://host:port/mqtt)';
    panels.render(handle.connection, performance.now());
    return;
  }
  const client: MqttClient = mqtt.connect(brokerUrl, {
    clientId: `shieldlink-display-${crypto.getRandomValues(new Uint32Array(2)).join('')}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    keepalive: 30,
    ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
  });
  const operator = new OperatorConsole(
    state,
    (topic, payload) => {
      client.publish(topic, payload, { qos: 1 });
    },
    layout,
  );
  plan.onSelect = (trackId) => {
    operator.selectedTrack = trackId;
    operator.refresh();
  };
  let subscribedNode: string | null = null;
  const subscribe = (): void => {
    if (state.nodeId === null) {
      client.subscribe('shieldlink/v1/+/status', { qos: 1 });
    } else {
      subscribedNode = state.nodeId;
      client.subscribe(subscriptionsOf(state.nodeId), { qos: 1 });
    }
    if (sideBySide !== null) client.subscribe(sideBySide.subscriptions(), { qos: 1 });
  };
  client.on('connect', () => {
    handle.connection = 'connected';
    subscribe();
  });
  client.on('reconnect', () => (handle.connection = 'reconnecting'));
  client.on('offline', () => (handle.connection = 'offline'));
  client.on('error', (error) => {
    handle.connection = `error: ${error.message}`;
  });
  // Signed kinds are checked (asynchronously, WebCrypto) before they reach the state; one chain
  // keeps every message in arrival order.
  let chain: Promise<void> = Promise.resolve();
  client.on('message', (topic, payload) => {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      return;
    }
    chain = chain
      .then(async () => {
        const mark: SignatureMark | null = isSignedTopic(topic) ? await checker.check(value) : null;
        if (state.accept(topic, value, performance.now(), mark) && topic.endsWith('/threats'))
          handle.threats.accept(value);
        sideBySide?.accept(topic, value, performance.now(), mark);
        // The first status picked the node: now subscribe to its whole tree.
        if (subscribedNode === null && state.nodeId !== null) subscribe();
      })
      .catch((error: unknown) => {
        handle.errors.push(String(error));
      });
  });

  let lastPanelsMs = -Infinity;
  const frame = (nowMs: number): void => {
    try {
      plan.draw(nowMs);
      sideBySide?.draw(nowMs);
      if (nowMs - lastPanelsMs > 250) {
        lastPanelsMs = nowMs;
        panels.render(handle.connection, nowMs);
        operator.setLaunchers(
          [...state.devices.values()]
            .filter((d) => d.kind === 'launcher')
            .map((d) => d.deviceId)
            .sort(),
        );
        operator.refresh();
      }
    } catch (error) {
      handle.errors.push(String(error));
      console.error(error);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

void start();
