import t from 'tap';
import { threatPicturePayload } from '../../src/bridge/schemas/threat-picture-payload.js';
import {
  MAX_THREATS_PER_MESSAGE,
  type ThreatPicture,
  type ThreatView,
  ThreatPublisher,
  threatPicturePayloadOf,
} from '../../src/bridge/threat-publisher.js';
import { PAYLOADS, payloadSpecForTopic } from '../../src/bridge/json-schemas.js';
import { TopicTree } from '../../src/bridge/topic-tree.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { FakeBrokerLink } from './support/fake-broker-link.js';

const WALL = 1_900_000_000_000;

function threat(trackId: string, value: number, over: Partial<ThreatView> = {}): ThreatView {
  return {
    trackId,
    iff: 'hostile',
    kind: 'impact',
    ippEastM: 100,
    ippNorthM: 200,
    ippVarEastM2: 400,
    ippCovM2: 0,
    ippVarNorthM2: 100,
    impactAtHostUs: 30_000_000,
    threatValue: value,
    assets: value > 0 ? [{ assetId: 'city', probability: value / 10, value: 10 }] : [],
    assignment: null,
    ...over,
  };
}

function picture(hostTimeUs: number, threats: ThreatView[]): ThreatPicture {
  return {
    hostTimeUs,
    assets: [
      {
        assetId: 'city',
        value: 10,
        minAltitudeM: 0,
        maxAltitudeM: 1000,
        area: { kind: 'circle', eastM: 0, northM: 0, radiusM: 2000 },
        keepOut: [
          {
            kind: 'polygon',
            vertices: [
              { eastM: 0, northM: 0 },
              { eastM: 10, northM: 0 },
              { eastM: 0, northM: 10 },
            ],
          },
        ],
      },
    ],
    threats,
  };
}

function setup(rateHz?: number) {
  const clock = new VirtualClock();
  const link = new FakeBrokerLink();
  link.start({ up: () => undefined, down: () => undefined, message: () => undefined });
  const topics = new TopicTree('node-a');
  const publisher = new ThreatPublisher(link, clock, () => WALL + clock.nowUs() / 1000, topics, 'boot-1', {
    ...(rateHz === undefined ? {} : { rateHz }),
  });
  return { clock, link, topics, publisher };
}

t.test('threats: coalesced at the rate, QoS 0, not retained, schema-valid, under the node tree', async (t) => {
  const { clock, link, topics, publisher } = setup();
  link.goUp();
  publisher.start();
  // Ten pictures in one second: at most 2 go out (default 2 Hz), the latest each time.
  for (let k = 0; k < 10; k++) {
    publisher.update(picture(k * 100_000, [threat('7', 0.5 + k / 100)]));
    await clock.advance(100_000);
  }
  const sent = link.publishes.map((p) => p.message);
  t.equal(sent.length, 2, 'two messages in one second at 2 Hz');
  t.equal(topics.threats, 'shieldlink/v1/node-a/threats');
  for (const m of sent) {
    t.equal(m.topic, 'shieldlink/v1/node-a/threats');
    t.equal(m.qos, 0);
    t.equal(m.retain, false);
    const parsed = threatPicturePayload.safeParse(JSON.parse(m.payload as string));
    t.ok(parsed.success, parsed.success ? 'valid' : JSON.stringify(parsed.error.issues));
  }
  const last = JSON.parse(sent[1]!.payload as string);
  t.equal(last.seq, 2);
  t.equal(last.hostTimeUs, 900_000, 'the latest picture wins');
  t.equal(last.threats[0].timeToImpactS, (30_000_000 - 900_000) / 1e6);
  // Nothing new: nothing published.
  await clock.advance(2_000_000);
  t.equal(link.publishes.length, 2, 'an unchanged picture is not sent again');
  // Disconnected: nothing; after a reconnect the latest goes out again.
  link.goDown();
  publisher.update(picture(5_000_000, [threat('7', 1)]));
  await clock.advance(1_000_000);
  t.equal(link.publishes.length, 2);
  link.goUp();
  await clock.advance(600_000);
  t.equal(link.publishes.length, 3, 'sent after the reconnect');
  publisher.republish();
  await clock.advance(600_000);
  t.equal(link.publishes.length, 4, 'republish sends the latest again');
  publisher.stop();
  publisher.update(picture(9_000_000, []));
  await clock.advance(2_000_000);
  t.equal(link.publishes.length, 4, 'nothing after stop');
  t.equal(payloadSpecForTopic(topics.threats, 'node-a')?.name, 'threats');
  t.ok(PAYLOADS.some((p) => p.name === 'threats' && p.topic === 'threats'));
});

t.test('threats payload: most valuable first, 95 % ellipse, bounded and sanitised', async (t) => {
  const p = threatPicturePayloadOf(
    picture(1_000_000, [
      threat('a', 0.1),
      threat('b', 3, {
        ippVarEastM2: 100,
        ippVarNorthM2: 100,
        ippCovM2: 0,
        assignment: { engagementId: '4', launcherId: 'launcher-1', state: 'In Flight', interceptAtHostUs: 20e6 },
      }),
      threat('c', Number.NaN, { impactAtHostUs: Number.POSITIVE_INFINITY, iff: 'Unknown Thing' }),
    ]),
    'node-a',
    'boot-1',
    1,
    WALL,
  );
  t.ok(threatPicturePayload.safeParse(p).success);
  t.same(
    p.threats.map((x) => x.trackId),
    ['b', 'a', 'c'],
  );
  const b = p.threats[0]!;
  // A circular covariance of σ = 10 m: a 95 % circle of radius 10·√5.991 = 24.48 m.
  t.ok(Math.abs(b.ipp.ellipse95.semiMajorM! - 24.477) < 1e-3, String(b.ipp.ellipse95.semiMajorM));
  t.ok(Math.abs(b.ipp.ellipse95.semiMinorM! - 24.477) < 1e-3);
  t.same(b.assignment, { engagementId: '4', launcherId: 'launcher-1', state: 'in-flight', interceptAtHostUs: 20e6 });
  const c = p.threats[2]!;
  t.equal(c.threatValue, null, 'NaN published as null');
  t.equal(c.impactAtHostUs, null);
  t.equal(c.timeToImpactS, null);
  t.equal(c.iff, 'unknown-thing');
  const many = threatPicturePayloadOf(
    picture(
      0,
      Array.from({ length: MAX_THREATS_PER_MESSAGE + 5 }, (_, i) => threat(String(i), i)),
    ),
    'node-a',
    'boot-1',
    1,
    WALL,
  );
  t.equal(many.threats.length, MAX_THREATS_PER_MESSAGE);
  t.equal(many.truncated, true);
  t.equal(many.threats[0]!.trackId, String(MAX_THREATS_PER_MESSAGE + 4), 'the most valuable kept');
  t.throws(() => setupBadRate(), /must be in/);
});

function setupBadRate(): void {
  setup(0);
}
