import mqtt from 'mqtt';
import t from 'tap';
import { MqttBrokerLink } from '../../src/bridge/mqtt-broker-link.js';
import { NodeKey } from '../../src/bridge/node-key.js';
import { SharingLink } from '../../src/bridge/sharing-link.js';
import { LocalFrame } from '../../src/geo/index.js';
import type { PartnerPictureChange, SharingConfig, TrackForRelease } from '../../src/sharing/index.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { tempDir } from '../bridge/support/drive.js';
import { until } from '../bridge/support/until.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { JointBrokers, type NodeName, PASSWORD } from './support/joint-brokers.js';

/**
 * The two-node bench of hil-configs/joint/ on two real Mosquitto brokers, bridged by the committed
 * configs: each node's release reaches the other (and only the release: commands, status and
 * everything else stay home), the bridge's credentials can do nothing but deliver that release,
 * and a 5 s outage of one broker turns the other node's partner picture stale — the node goes on
 * alone, says so, and recovers by itself when the partner is back.
 */

const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd');
const OUTAGE_MS = 5_000;
const SITES = {
  'node-a': { latDeg: 48.0, lonDeg: 11.0, heightM: 500 },
  'node-b': { latDeg: 48.3, lonDeg: 11.6, heightM: 450 },
} as const;
const FENCE = { circle: { center: { latDeg: 48.15, lonDeg: 11.3 }, radiusM: 200_000 } };

function sharingConfig(partner: NodeName): SharingConfig {
  return {
    staleAfterMs: 1_500,
    futureToleranceMs: 2_000,
    maxAgeMs: 30_000,
    partners: [
      {
        id: partner,
        publicKey: `${partner}.node.pub.json`,
        release: {
          identities: ['hostile', 'unknown'],
          geofence: FENCE,
          positionQuantumM: 25,
          velocityQuantumMps: 2,
          maxRateHz: 5,
          fields: ['velocity', 'covariance', 'identity', 'quality', 'sensors'],
        },
        declared: {
          identities: ['hostile', 'unknown'],
          geofence: FENCE,
          maxRateHz: 5,
          fields: ['velocity', 'covariance', 'identity', 'quality', 'sensors'],
        },
      },
    ],
  };
}

function picture(node: NodeName): TrackForRelease[] {
  const base = {
    validAtMs: 0,
    quality: 'good',
    positionEnuM: { eastM: 10_000, northM: 20_000, upM: 5_000 },
    velocityEnuMps: { eastM: -250, northM: -30, upM: 0 },
    covarianceEnu: [100, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 400, 0, 0, 0, 25, 0, 0, 25, 0, 100],
    sensors: ['radar-1'],
  };
  return [
    { ...base, trackId: `${node}-T1`, identity: 'hostile', origin: 'local' },
    { ...base, trackId: `${node}-T2`, identity: 'hostile', origin: 'fused' },
    { ...base, trackId: `${node}-T3`, identity: 'friendly', origin: 'local' },
  ];
}

interface Node {
  readonly sharing: SharingLink;
  readonly link: MqttBrokerLink;
  readonly changes: PartnerPictureChange[];
  readonly up: { value: boolean };
}

async function startNode(brokers: JointBrokers, node: NodeName, keys: Map<NodeName, NodeKey>): Promise<Node> {
  const partner: NodeName = node === 'node-a' ? 'node-b' : 'node-a';
  const clock = new RealClock();
  const changes: PartnerPictureChange[] = [];
  const sharing = new SharingLink({
    nodeKey: keys.get(node)!,
    frame: new LocalFrame(SITES[node]),
    config: sharingConfig(partner),
    partnerKeys: new Map([[partner, keys.get(partner)!.public]]),
    clock,
    wallClock: wallClockMs,
    pollMs: 50,
    events: { pictureChanged: (c) => changes.push(c) },
  });
  const link = await MqttBrokerLink.create(
    {
      url: brokers.url(node),
      protocol: '3.1.1',
      username: `shieldlink-${node}`,
      password: PASSWORD(`shieldlink-${node}`),
      backoff: { initialMs: 100, maxMs: 500 },
      keepaliveS: 2,
    },
    { clientId: `shieldlink-${node}-sharing`, subscriptions: sharing.subscriptions },
    clock,
  );
  const up = { value: false };
  link.start({
    up: () => (up.value = true),
    down: () => (up.value = false),
    message: (m) => sharing.message(m),
  });
  sharing.start(link);
  return { sharing, link, changes, up };
}

t.test(
  'two bridged Mosquitto brokers: only shared/ crosses, both ways; an outage goes stale and recovers',
  { skip },
  async (t) => {
    const dir = tempDir('shieldlink-joint-');
    t.teardown(dir.cleanup);
    const brokers = await JointBrokers.start(dir.path);
    t.teardown(() => brokers.stop());
    const keys = new Map<NodeName, NodeKey>([
      ['node-a', NodeKey.generate('node-a')],
      ['node-b', NodeKey.generate('node-b')],
    ]);
    const a = await startNode(brokers, 'node-a', keys);
    const b = await startNode(brokers, 'node-b', keys);
    t.teardown(async () => {
      a.sharing.stop();
      b.sharing.stop();
      await a.link.stop();
      await b.link.stop();
    });

    // An administrator on each broker sees everything that arrives there.
    const watch = async (node: NodeName) => {
      const client = await mqtt.connectAsync(brokers.url(node), {
        username: `admin-${node}`,
        password: PASSWORD(`admin-${node}`),
        clientId: `admin-${node}-${process.pid}`,
        reconnectPeriod: 200,
      });
      const topics: string[] = [];
      client.on('message', (topic) => topics.push(topic));
      await client.subscribeAsync('shieldlink/v1/#', { qos: 1 });
      t.teardown(() => client.endAsync(true));
      return topics;
    };
    const seenOnA = await watch('node-a');
    const seenOnB = await watch('node-b');

    const offer = setInterval(() => {
      const now = wallClockMs();
      a.sharing.offer(picture('node-a').map((x) => ({ ...x, validAtMs: now - 50 })));
      b.sharing.offer(picture('node-b').map((x) => ({ ...x, validAtMs: now - 50 })));
    }, 100);
    t.teardown(() => clearInterval(offer));

    t.ok(await until(() => a.up.value && b.up.value, 20_000), 'both nodes connected to their own brokers');
    t.ok(
      await until(
        () => b.sharing.pictures.state('node-a') === 'live' && a.sharing.pictures.state('node-b') === 'live',
        20_000,
      ),
      `each node holds its partner's picture (${JSON.stringify(b.sharing.status())})`,
    );
    t.same(
      b.sharing.pictures.tracks('node-a').map((h) => h.entry.trackId),
      ['node-a-T1'],
      "B holds A's releasable track only (not the fused one, not the friendly one)",
    );
    t.same(
      a.sharing.pictures.tracks('node-b').map((h) => h.entry.trackId),
      ['node-b-T1'],
      "A holds B's releasable track only",
    );
    const heldOnB = b.sharing.pictures.tracks('node-a')[0]!.entry;
    t.same(heldOnB.pedigree, { node: 'node-a', sensors: ['radar-1'], fused: false }, 'pedigree crossed');
    t.ok(
      heldOnB.ecefM.every((c) => Math.abs(c / 25 - Math.round(c / 25)) < 1e-9),
      'quantised to 25 m',
    );

    // Non-shared topics stay home: a status of A and an operator's command on A never reach B.
    const onA = await mqtt.connectAsync(brokers.url('node-a'), {
      username: 'shieldlink-node-a',
      password: PASSWORD('shieldlink-node-a'),
      clientId: `probe-node-a-${process.pid}`,
      reconnectPeriod: 0,
    });
    await onA.publishAsync('shieldlink/v1/node-a/status', '{"probe":1}', { qos: 1 });
    await onA.publishAsync('shieldlink/v1/node-a/tracks', '{"probe":1}', { qos: 1 });
    // The ledger feed crosses, for the partner to verify A's decisions on its own broker.
    await onA.publishAsync('shieldlink/v1/node-a/shared/ledger', '{"probe":1}', { qos: 1 });
    await onA.endAsync(true);
    const operatorA = await mqtt.connectAsync(brokers.url('node-a'), {
      username: 'operator-node-a',
      password: PASSWORD('operator-node-a'),
      clientId: `probe-operator-a-${process.pid}`,
      reconnectPeriod: 0,
    });
    await operatorA.publishAsync('shieldlink/v1/node-a/commands/safe', '{"probe":1}', { qos: 1 });
    await operatorA.endAsync(true);
    // The bridge's own credentials on B can deliver A's release and nothing else.
    const asBridge = await mqtt.connectAsync(brokers.url('node-b'), {
      username: 'bridge-node-a',
      password: PASSWORD('bridge-node-a'),
      clientId: `probe-bridge-a-${process.pid}`,
      reconnectPeriod: 0,
    });
    await asBridge.publishAsync('shieldlink/v1/node-b/commands/safe', '{"probe":2}', { qos: 1 }).catch(() => undefined);
    await asBridge.publishAsync('shieldlink/v1/node-a/status', '{"probe":2}', { qos: 1 }).catch(() => undefined);
    await asBridge.publishAsync('shieldlink/v1/node-c/shared/ledger', '{"probe":2}', { qos: 1 }).catch(() => undefined);
    await asBridge.endAsync(true).catch(() => undefined);
    t.ok(await until(() => seenOnA.includes('shieldlink/v1/node-a/commands/safe'), 10_000), 'the command reached A');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const crossedToB = new Set(seenOnB.filter((x) => x.startsWith('shieldlink/v1/node-a/')));
    t.same(
      [...crossedToB].sort(),
      ['shieldlink/v1/node-a/shared/ledger', 'shieldlink/v1/node-a/shared/tracks/node-b'],
      'of A’s topics only the release and the ledger feed reached B',
    );
    t.notOk(seenOnB.includes('shieldlink/v1/node-b/commands/safe'), "the bridge's credentials cannot command B");
    t.notOk(seenOnB.includes('shieldlink/v1/node-c/shared/ledger'), 'nor deliver another node’s ledger');
    const crossedToA = new Set(seenOnA.filter((x) => x.startsWith('shieldlink/v1/node-b/')));
    t.same([...crossedToA], ['shieldlink/v1/node-b/shared/tracks/node-a'], 'of B’s topics only the release reached A');

    // A 5 s outage of A's broker: B's picture of A turns stale, B goes on (its own link never drops).
    const bDropsBefore = b.changes.length;
    const bSentBefore = b.sharing.status().partners['node-a']!.sent;
    await brokers.kill('node-a');
    const killedAt = Date.now();
    t.ok(await until(() => b.sharing.pictures.state('node-a') === 'stale', 10_000), "B's picture of A turns stale");
    const staleAfterMs = Date.now() - killedAt;
    t.ok(staleAfterMs < 1_500 + 1_500, `within the configured 1.5 s (+ delivery jitter): ${staleAfterMs} ms`);
    t.ok(b.sharing.status().alone, 'B says it is on its own');
    t.match(b.changes.slice(bDropsBefore), [{ partnerId: 'node-a', from: 'live', to: 'stale' }]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - killedAt))));
    t.ok(b.up.value, "B's own broker link never dropped");
    t.ok(b.sharing.status().partners['node-a']!.sent > bSentBefore, 'B kept releasing to its own broker');
    await brokers.start('node-a');
    const restartedAt = Date.now();
    t.ok(
      await until(() => b.sharing.pictures.state('node-a') === 'live', 30_000),
      "B's picture of A recovers by itself",
    );
    t.ok(
      await until(() => a.sharing.pictures.state('node-b') === 'live', 30_000),
      "A's picture of B recovers by itself",
    );
    t.comment(`recovered ${Date.now() - restartedAt} ms after the broker came back`);
    t.notOk(b.sharing.status().alone);
    t.same(b.sharing.status().partners['node-a']!.intake.dropped, {}, 'nothing was dropped on the way');
    t.same(a.sharing.status().partners['node-b']!.intake.dropped, {}, 'nothing was dropped on the way');
  },
);
