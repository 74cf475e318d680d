import t from 'tap';
import { NodeKey } from '../../src/bridge/node-key.js';
import { coordinationFor, ownThreatViews } from '../../src/compose/coordination-for.js';
import { LocalFrame } from '../../src/geo/index.js';
import { engagement } from './support.js';

const T0 = 1_765_000_000_000;

t.test('two agents from node keys and sites: a claim crosses, its aim point in ECEF', (t) => {
  const ka = NodeKey.generate('node-a');
  const kb = NodeKey.generate('node-b');
  const frameA = new LocalFrame({ latDeg: 48.1, lonDeg: 11.5, heightM: 500 });
  const frameB = new LocalFrame({ latDeg: 48.3, lonDeg: 11.9, heightM: 450 });
  const a = coordinationFor({
    nodeKey: ka,
    partnerKeys: new Map([['node-b', kb.public]]),
    partnerIds: ['node-b'],
    frame: frameA,
    bootId: 'node-a-1',
    killProbability: 0.7,
  });
  const b = coordinationFor({
    nodeKey: kb,
    partnerKeys: new Map([['node-a', ka.public]]),
    partnerIds: ['node-a', 'node-c'],
    frame: frameB,
    bootId: 'node-b-1',
    killProbability: 0.7,
  });
  t.same(b.subscriptions, ['shieldlink/v1/node-a/shared/engagements', 'shieldlink/v1/node-c/shared/engagements']);
  a.observe(
    [],
    [engagement('planned', { engagementId: 3, trackId: 9, atUs: 1e6, launchAtHostUs: 4e6, interceptAtHostUs: 20e6 })],
    1e6,
    T0 + 1000,
  );
  const out = a.tick(1e6, T0 + 1000);
  const claimMsg = out.messages.find((m) => m.message.intents.some((i) => i.type === 'claim'))!;
  t.ok(claimMsg, 'a claim goes out');
  t.equal(claimMsg.topic, 'shieldlink/v1/node-a/shared/engagements');
  for (const m of out.messages) t.equal(b.receive(m.topic, m.payload, T0 + 1100).ok, true, 'node-b verifies node-a');
  const held = b.owners(T0 + 1100)[0]!.owner;
  t.equal(held.node, 'node-a');
  const claim = claimMsg.message.intents.find((i) => i.type === 'claim')!;
  const expected = frameA.ecefOfEnu({ eastM: 100, northM: 200, upM: 3000 });
  t.same(claim.type === 'claim' && claim.interceptEcefM, [expected.x, expected.y, expected.z], 'aim point in ECEF');
  t.equal(claim.type === 'claim' && claim.interceptAt, new Date(T0 + 20_000).toISOString(), 'host µs → UTC');
  // A partner without a configured key is refused.
  const c = NodeKey.generate('node-c');
  const forged = JSON.stringify(c.signPayload({ ...claimMsg.message, nodeId: 'node-c', seq: 1 }));
  const v = b.receive('shieldlink/v1/node-c/shared/engagements', new TextEncoder().encode(forged), T0 + 1200);
  t.equal(v.ok ? 'ok' : v.reason, 'bad-signature', 'no key for node-c: refused');
  t.end();
});

t.test('own threat views: must-fire-by a lead before the predicted impact', (t) => {
  const views = ownThreatViews(
    'node-a',
    [
      { trackId: 4, impactAtHostUs: 60e6 },
      { trackId: 5, impactAtHostUs: null },
    ] as never,
    (us) => T0 + us / 1000,
    20_000,
  );
  t.same(views, [
    { trackId: 4, members: [{ node: 'node-a', trackId: '4' }], mustFireByMs: T0 + 40_000 },
    { trackId: 5, members: [{ node: 'node-a', trackId: '5' }], mustFireByMs: null },
  ]);
  t.end();
});
