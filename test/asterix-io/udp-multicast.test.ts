/**
 * Multicast links, as a real radar network uses them: an ASTERIX radar source joined to a group
 * on the loopback interface (`udp://GROUP:PORT?iface=127.0.0.1`) takes CAT034/CAT048 sent to the
 * group, and the CAT062 output configured with the same form sends its blocks to the group out
 * of that interface (without `?iface=` the OS's default multicast route would carry them off the
 * machine, and the loopback member would see nothing). The config accepts `?iface=` for groups
 * only, in both places.
 */
import { createSocket } from 'node:dgram';
import t from 'tap';
import { cat034NorthMarker, cat048ReportOf } from '../../firmware-sim/asterix/cat048-report.js';
import { AsterixDecoder, type AsterixRecord, encodeBlock } from '../../src/asterix/index.js';
import { AsterixRadarSource, parseUdpLinkUrl } from '../../src/asterix-io/asterix-radar-source.js';
import { openUdpSender } from '../../src/asterix-io/udp-sender.js';
import { openCat062Feed } from '../../src/compose/cat062-feed.js';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import type { ControlInput } from '../../src/control/control-inputs.js';
import type { TrackSnapshot } from '../../src/control/control-snapshots.js';
import { LocalFrame } from '../../src/geo/index.js';
import type { CoreSnapshot } from '../../src/session/tick-record-codec.js';
import { RealClock } from '../../src/time/real-clock.js';

const GROUP = '239.255.20.48';
const SITE = { latDeg: 45.8, lonDeg: 15.97, heightM: 110 };
const FRAME = new LocalFrame(SITE);
const SOURCE = { sac: 25, sic: 13 };
const TOD = (hostUs: number): number => (36_000 + hostUs / 1e6) % 86_400;

/** Whether this kernel delivers multicast on loopback (a network namespace may not). */
async function loopbackMulticast(): Promise<false | string> {
  const receiver = createSocket({ type: 'udp4', reuseAddr: true });
  const sender = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => receiver.bind(0, () => resolve()));
    receiver.addMembership(GROUP, '127.0.0.1');
    await new Promise<void>((resolve) => sender.bind(0, () => resolve()));
    sender.setMulticastInterface('127.0.0.1');
    const got = new Promise<boolean>((resolve) => {
      receiver.once('message', () => resolve(true));
      setTimeout(() => resolve(false), 2000);
    });
    sender.send('probe', receiver.address().port, GROUP);
    return (await got) ? false : 'no multicast datagram came back on loopback';
  } catch (error) {
    return `this kernel cannot join ${GROUP} on loopback: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    receiver.close();
    sender.close();
  }
}

const reason = await loopbackMulticast();
if (reason && process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: required)`);
const skip = reason;

t.test('the config takes ?iface= on a multicast group only, for radars and the CAT062 output', async (t) => {
  const radar = {
    id: 'asterix-1',
    protocol: 'asterix-cat048',
    site: SITE,
    accuracy: { rangeSigmaM: 30, azimuthSigmaDeg: 0.05, velocitySigmaMps: 5 },
  };
  const linkIssues = (link: string): string[] => {
    const parsed = benchConfigSchema.safeParse({
      node: { id: 'n' },
      devices: { asterixRadars: [{ ...radar, link }] },
      output: { cat062: { link, sac: 25, sic: 7 } },
    });
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };
  for (const good of ['udp://0.0.0.0:8600', 'udp://239.1.2.3:8600', `udp://${GROUP}:8600?iface=10.0.0.5`])
    t.same(linkIssues(good), [], good);
  for (const bad of ['udp://127.0.0.1:8600?iface=127.0.0.1', 'udp://239.1.2.3:8600?iface=eth0', 'tcp://1.2.3.4:5'])
    t.same(linkIssues(bad), ['devices.asterixRadars.0.link', 'output.cat062.link'], bad);
  t.throws(() => parseUdpLinkUrl('udp://127.0.0.1:8600?iface=127.0.0.1'), /multicast group only/);
  t.match(parseUdpLinkUrl(`udp://${GROUP}:8600?iface=127.0.0.1`), { multicast: true, iface: '127.0.0.1' });
});

t.test('a radar source joined to a group on loopback takes what is sent to the group', { skip }, async (t) => {
  const clock = new RealClock();
  const inputs: ControlInput[] = [];
  const source = new AsterixRadarSource({
    radarId: 'asterix-1',
    clock,
    context: {
      radarFrame: FRAME,
      benchFrame: FRAME,
      ...SOURCE,
      rangeSigmaM: 30,
      azimuthSigmaDeg: 0.05,
      velocitySigmaMps: 5,
      acceptSimulated: true,
      timeOfDayS: TOD,
    },
    emit: (input) => inputs.push(input),
    nextSeq: () => inputs.length + 1,
  });
  const { port } = await source.listen(`udp://${GROUP}:0?iface=127.0.0.1`);
  t.teardown(() => source.stop());
  const sender = await openUdpSender(GROUP, port, '127.0.0.1');
  t.teardown(() => sender.close());
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimer(ms * 1000, resolve));
  for (let scan = 0; scan < 3; scan++) {
    const now = clock.nowUs();
    sender.send(encodeBlock(34, [cat034NorthMarker(SOURCE, TOD(now), 4)]));
    const target = { trackNumber: 9, eastM: 15_000, northM: 10_000 + scan * 400, upM: 6000, eastMps: 0, northMps: 100 };
    sender.send(encodeBlock(48, [cat048ReportOf(target, FRAME, FRAME, SOURCE, TOD(now))]));
    await sleep(100);
  }
  await sleep(200);
  t.equal(source.status, 'active', 'CAT034 north markers arrived through the group');
  t.equal(source.counters.serviceMessages, 3);
  t.equal(inputs.filter((input) => input.kind === 'track-measurement').length, 2, 'CAT048 plots arrived');
  t.equal(sender.counters.errors, 0);
});

t.test('output.cat062 with ?iface= sends its blocks to the group out of that interface', { skip }, async (t) => {
  const receiver = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve) => receiver.bind(0, () => resolve()));
  receiver.addMembership(GROUP, '127.0.0.1');
  t.teardown(() => receiver.close());
  const records: AsterixRecord[] = [];
  const decoder = new AsterixDecoder();
  const arrived = new Promise<void>((resolve) =>
    receiver.on('message', (message) => {
      decoder.decode(message, { record: (record) => records.push(record) });
      resolve();
    }),
  );
  const config = benchConfigSchema.parse({
    node: { id: 'n' },
    scenario: 's.yaml',
    simulator: { enabled: true },
    site: SITE,
    output: { cat062: { link: `udp://${GROUP}:${receiver.address().port}?iface=127.0.0.1`, sac: 25, sic: 7 } },
  });
  const clock = new RealClock();
  const feed = await openCat062Feed(config, clock, () => 0, false);
  t.ok(feed);
  t.teardown(() => feed?.close());
  const track = {
    trackId: 4,
    estimateTimeUs: 0,
    eastM: 1000,
    northM: 2000,
    upM: 3000,
    eastMps: 10,
    northMps: 0,
    upMps: 0,
    confirmed: true,
    destroyed: false,
    radarTracks: [],
  } as unknown as TrackSnapshot;
  feed!.output.onSnapshot({ nowUs: 0, tracks: [track] } as unknown as CoreSnapshot['snapshot']);
  const timeout = new Promise<void>((resolve) => clock.setTimer(3_000_000, resolve));
  await Promise.race([arrived, timeout]);
  t.equal(records.length, 1, 'the group member on loopback received the CAT062 record');
  t.same(records[0]?.items.get('010'), { SAC: 25, SIC: 7 });
  t.equal((records[0]?.items.get('080') as { SIM: number } | undefined)?.SIM, 0, 'SIM clear: not simulated');
});
