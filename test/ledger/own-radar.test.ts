import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { NodeKey } from '../../src/bridge/index.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { LocalFrame } from '../../src/geo/index.js';
import {
  checkOwnEyes,
  DEFAULT_OWN_EYES_GATE,
  type LedgerEntry,
  LedgerWriter,
  type OwnEyesInput,
  type OwnRadarReport,
  type ReadEntry,
  type TrackState,
} from '../../src/ledger/index.js';

/**
 * "With its own eyes": node A (48.0° N 11.0° E) engages the single-ballistic threat; partner B
 * (48.3° N 11.6° E, about 55 km away) records the same physical target with its own radar (its
 * scenario is A's, moved into B's frame through ECEF). `verify --own-radar B.run` confirms A's
 * honest FIRE; a ledger in which A lies about the track state (consistently re-signed with A's
 * key, so integrity and compliance both pass) is caught by B's radar alone; a radar whose
 * coverage does not reach the claim says it cannot judge.
 */

const SITE_A = { latDeg: 48.0, lonDeg: 11.0, heightM: 500 };
const SITE_B = { latDeg: 48.3, lonDeg: 11.6, heightM: 400 };

async function verify(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await verifyCommand.run(args, { stdout, stderr, stdin: new PassThrough(), isTty: false });
  return { code, out, err };
}

interface Verdict {
  pass: boolean;
  integrity: { ok: boolean };
  compliance: { ok: boolean; fires: unknown[] };
  ownEyes: {
    ok: boolean;
    unjudged: string | null;
    counts: Record<string, number>;
    fires: { verdict: string; message: string; nearest: { distanceM: number } | null }[];
  } | null;
}

/** Rewrite a ledger's entries with `mutate` and re-sign every head with the node key (a lying node). */
function resign(text: string, key: NodeKey, mutate: (e: LedgerEntry) => LedgerEntry): string {
  const writer = new LedgerWriter(key);
  const out = [writer.header()];
  for (const line of text.split('\n').slice(1)) {
    if (line === '') continue;
    const record = JSON.parse(line) as { kind: string; e?: LedgerEntry; timeMs?: number; final?: boolean };
    if (record.kind === 'entry') out.push(writer.append(mutate(record.e!)));
    else out.push(writer.head(record.timeMs!, record.final === true));
  }
  return out.join('\n') + '\n';
}

t.test('a partner verifies FIREs with its own radar', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-own-radar-'));
  const scenario = parseYaml(await readFile('hil-configs/scenarios/single-ballistic.yaml', 'utf8')) as {
    targets: { position: Record<string, number>; velocity: Record<string, number> }[];
    radars: { position: Record<string, number> }[];
  };
  // Partner B's world: A's target, moved into B's ENU frame; B's radar at B's site.
  const a = new LocalFrame(SITE_A);
  const b = new LocalFrame(SITE_B);
  for (const target of scenario.targets) {
    const p = b.enuFromFrame(a, target.position as never);
    const v = b.vectorFromFrame(a, {
      eastM: target.velocity['eastMps']!,
      northM: target.velocity['northMps']!,
      upM: target.velocity['upMps']!,
    });
    target.position = { eastM: p.eastM, northM: p.northM, upM: p.upM };
    target.velocity = { eastMps: v.eastM, northMps: v.northM, upMps: v.upM };
  }
  await writeFile(join(dir, 'partner-scenario.yaml'), stringifyYaml(scenario));
  const cfg = (id: string, site: typeof SITE_A, scenarioFile: string): string =>
    `node: { id: ${id} }\nsite: { latDeg: ${site.latDeg}, lonDeg: ${site.lonDeg}, heightM: ${site.heightM} }\n` +
    `scenario: ${scenarioFile}\nsimulator: { enabled: true, placement: in-process }\nbroker: { disabled: true }\n` +
    `output: { dir: ${dir} }\n`;
  await writeFile(
    join(dir, 'a.yaml'),
    cfg('node-a', SITE_A, join(process.cwd(), 'hil-configs/scenarios/single-ballistic.yaml')),
  );
  await writeFile(join(dir, 'b.yaml'), cfg('node-b', SITE_B, join(dir, 'partner-scenario.yaml')));
  for (const [name, config] of [
    ['a', 'a.yaml'],
    ['b', 'b.yaml'],
  ] as const) {
    await runBench({
      loaded: await loadBenchConfig(join(dir, config)),
      virtualTime: true,
      broker: 'none',
      durationS: 40,
      recordFile: join(dir, name, `${name}.run`),
      mqttLogFile: join(dir, name, `${name}.mqtt.jsonl`),
    });
  }
  const ledgerA = join(dir, 'a', 'a.ledger');
  const pubA = join(dir, 'a', 'keys', 'node-a.node.pub.json');
  const own = ['--own-radar', join(dir, 'b', 'b.run'), '--own-site', '48.3,11.6,400', '--own-range-km', '150'];

  const honest = await verify([ledgerA, '--node-key', pubA, '--json', ...own]);
  const v = JSON.parse(honest.out) as Verdict;
  t.equal(honest.code, 0, `honest ledger passes (${honest.err}${JSON.stringify(v.ownEyes?.fires)})`);
  t.ok(v.compliance.fires.length >= 1, 'node A fired');
  t.equal(v.ownEyes?.counts['confirmed'], v.compliance.fires.length, 'every FIRE confirmed by B radar');
  t.ok(
    v.ownEyes!.fires.every((f) => f.nearest !== null && f.nearest.distanceM < 200),
    'within 200 m',
  );

  const line = await verify([ledgerA, '--node-key', pubA, ...own]);
  t.match(line.out, /ledger PASS: .*own radar: \d+ confirmed/, 'the verdict line says so');

  // A lying node: the claimed track turned 25° about the defended point — still hostile, inbound
  // and impacting the defended area, so integrity and the policy pass; only B's radar can tell.
  const key = await NodeKey.load(join(dir, 'a', 'keys', 'node-a.node.key.json'));
  const turn = (x: number, y: number): [number, number] => {
    const c = Math.cos((25 * Math.PI) / 180);
    const s = Math.sin((25 * Math.PI) / 180);
    return [c * x - s * y, s * x + c * y];
  };
  const lie = resign(await readFile(ledgerA, 'utf8'), key, (e) => {
    if (e.type !== 'engagement-decision' || e.track === null) return e;
    const [eastM, northM] = turn(e.track.eastM, e.track.northM);
    const [eastMps, northMps] = turn(e.track.eastMps, e.track.northMps);
    return { ...e, track: { ...e.track, eastM, northM, eastMps, northMps } };
  });
  const lieFile = join(dir, 'a', 'lie.ledger');
  await writeFile(lieFile, lie);
  const plain = JSON.parse((await verify([lieFile, '--node-key', pubA, '--json'])).out) as Verdict;
  t.ok(plain.pass, 'without its own eyes the partner cannot tell the lie');
  const caught = await verify([lieFile, '--node-key', pubA, '--json', ...own]);
  const cv = JSON.parse(caught.out) as Verdict;
  t.equal(caught.code, 1, 'with its own radar it fails');
  t.ok(cv.integrity.ok && cv.compliance.ok, 'integrity and policy still pass: only the radar caught it');
  t.equal(cv.ownEyes?.counts['elsewhere'], cv.compliance.fires.length, 'every FIRE: the radar saw it elsewhere');
  t.match(cv.ownEyes!.fires[0]!.message, /nearest radar-1 track \d+ \d+\.\d km away/, 'names where it was');
  const html = join(dir, 'lie.html');
  await verify([lieFile, '--node-key', pubA, '--html', html, ...own]);
  t.match(await readFile(html, 'utf8'), /With the partner's own radar \(1 elsewhere\)/, 'the HTML page lists it');
  const lieLine = await verify([lieFile, '--node-key', pubA, ...own]);
  t.match(lieLine.out, /ledger FAIL: .*own radar disagrees: \d+ elsewhere/);

  // A fabricated target where B's radar looks and saw nothing: claimed 60 km west of A.
  const ghost = resign(await readFile(ledgerA, 'utf8'), key, (e) =>
    e.type !== 'engagement-decision' || e.track === null
      ? e
      : { ...e, track: { ...e.track, eastM: e.track.eastM - 100_000 } },
  );
  await writeFile(join(dir, 'a', 'ghost.ledger'), ghost);
  const gv = JSON.parse(
    (await verify([join(dir, 'a', 'ghost.ledger'), '--node-key', pubA, '--json', ...own])).out,
  ) as Verdict;
  t.ok(gv.ownEyes!.counts['not-seen']! + gv.ownEyes!.counts['elsewhere']! >= 1, 'a ghost is a disagreement');

  // B's radar reaching 10 km only: it cannot judge the claim 25+ km away.
  const short = await verify([ledgerA, '--node-key', pubA, '--json', ...own.slice(0, 4), '--own-range-km', '10']);
  const sv = JSON.parse(short.out) as Verdict;
  t.equal(short.code, 0, 'out of coverage is not a violation');
  t.equal(sv.ownEyes?.counts['out-of-coverage'], sv.compliance.fires.length, 'said: out of coverage');

  // A claim timed outside B's recording: not recorded.
  const late = await verify([ledgerA, '--node-key', pubA, '--json', ...own, '--own-epoch-us', '1767225000000000']);
  const lv = JSON.parse(late.out) as Verdict;
  t.equal(lv.ownEyes?.counts['not-recorded'], lv.compliance.fires.length, 'said: not recorded');

  // A ledger without a declared site cannot be placed: the verdict fails and says why.
  const noSite = resign(await readFile(ledgerA, 'utf8'), key, (e) => {
    if (e.type !== 'config') return e;
    const { site: _site, ...rest } = e;
    return rest;
  });
  await writeFile(join(dir, 'a', 'no-site.ledger'), noSite);
  const ns = await verify([join(dir, 'a', 'no-site.ledger'), '--node-key', pubA, ...own]);
  t.equal(ns.code, 1);
  t.match(ns.out, /cannot judge: the node declared no site/);

  // Bad options and files: usage errors (2) and unreadable runs (3), never a crash.
  await t.rejects(verify([ledgerA, '--node-key', pubA, '--own-radar', join(dir, 'b', 'b.run')]), {
    name: 'UsageError',
  });
  await t.rejects(verify([ledgerA, '--node-key', pubA, ...own.slice(0, 2), '--own-site', 'x', '--own-range-km', '9']), {
    message: /--own-site/,
  });
  await t.rejects(verify([ledgerA, '--node-key', pubA, '--own-site', '1,2,3']), { message: /goes with --own-radar/ });
  const garbage = join(dir, 'garbage.run');
  await writeFile(garbage, 'not a run\n');
  const g = await verify([ledgerA, '--node-key', pubA, ...own.slice(2), '--own-radar', garbage, '--own-epoch-us', '0']);
  t.equal(g.code, 3);
  t.match(g.err, /own radar: .*not a shieldlink-run/);
  const noLog = await verify([ledgerA, '--node-key', pubA, ...own.slice(2), '--own-radar', garbage]);
  t.equal(noLog.code, 3);
  t.match(noLog.err, /give --own-epoch-us/);
});

t.test('checkOwnEyes: the gate, identity and the not-seen case, on synthetic reports', (t) => {
  const report = (over: Partial<OwnRadarReport> = {}): OwnRadarReport => ({
    radarId: 'r',
    radarTrackId: 7,
    timeUs: 10_000_000,
    eastM: 1000,
    northM: 2000,
    upM: 3000,
    eastMps: -100,
    northMps: 0,
    upMps: 0,
    positionSigmaM: 20,
    velocitySigmaMps: 3,
    iff: 'hostile',
    ...over,
  });
  const claim = (over: Partial<TrackState> = {}): ReadEntry[] => {
    const track: TrackState = {
      trackId: 1,
      estimateTimeUs: 10_500_000,
      eastM: 950,
      northM: 2000,
      upM: 3000,
      eastMps: -100,
      northMps: 0,
      upMps: 0,
      iff: 'hostile',
      model: 'constant-velocity',
      quality: 90,
      operatorPriority: false,
      firstSeen: null,
      ...over,
    };
    const decision = { type: 'engagement-decision', engagementId: 1, track } as unknown as LedgerEntry;
    const fire = { type: 'fire', engagementId: 1, trackId: 1 } as unknown as LedgerEntry;
    return [
      { index: 0, line: 2, entry: decision },
      { index: 1, line: 3, entry: fire },
    ];
  };
  const input = (reports: OwnRadarReport[]): OwnEyesInput => ({
    reports,
    coverageRangeM: 50_000,
    recordedFromUs: 0,
    recordedToUs: 60_000_000,
    partnerTimeUs: (us) => us,
    toPartnerPoint: (p) => p,
    toPartnerVector: (v) => v,
    gate: DEFAULT_OWN_EYES_GATE,
  });
  const verdict = (entries: ReadEntry[], reports: OwnRadarReport[]): string =>
    checkOwnEyes(entries, input(reports)).fires[0]!.verdict;
  t.equal(verdict(claim(), [report()]), 'confirmed', 'extrapolated 0.5 s: 50 m west, matches');
  t.equal(verdict(claim({ eastM: 1300 }), [report()]), 'elsewhere', '350 m off: beyond the gate');
  t.equal(verdict(claim({ eastMps: 0 }), [report()]), 'elsewhere', 'velocity 100 m/s off: beyond the gate');
  t.equal(verdict(claim(), [report({ iff: 'friendly' })]), 'identity-disagrees', 'hostile against friendly');
  t.equal(verdict(claim(), [report({ iff: 'unknown' })]), 'confirmed', 'unknown does not contradict');
  t.equal(verdict(claim(), [report({ timeUs: 20_000_000 })]), 'not-seen', 'nothing within the window');
  t.equal(verdict(claim(), []), 'not-seen');
  t.equal(verdict(claim({ eastM: 60_000 }), [report()]), 'out-of-coverage', 'beyond the range');
  t.equal(verdict(claim({ upM: -10 }), [report()]), 'out-of-coverage', 'below the horizon');
  t.equal(verdict(claim({ estimateTimeUs: 70_000_000 }), [report()]), 'not-recorded');
  t.equal(verdict(claim({ eastM: Number.NaN }), [report()]), 'no-claim');
  const best = checkOwnEyes(
    claim(),
    input([report({ eastM: 5000, radarTrackId: 1 }), report(), report({ northM: 9000 })]),
  );
  t.equal(best.fires[0]!.nearest?.radarTrackId, 7, 'the nearest of several reports');
  t.ok(best.ok);
  t.end();
});
