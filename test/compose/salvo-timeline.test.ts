import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import type { CommandIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

/**
 * End to end, in virtual time against the firmware simulator: hil-configs/scenarios/salvo-timeline.yaml
 * (steep ballistic missiles seen about 8 s before impact; launcher-1's rounds miss, unknown to
 * the host) under its own doctrine, salvo, and again under shoot-look-shoot
 * (`run --compare-doctrine shoot-look-shoot`). Judged on the simulator's truth: salvo lets no
 * missile through and fires two rounds at each ballistic missile but one at the cruise missile
 * (a look fits); shoot-look-shoot fires one round each and the two missiles whose round came from
 * launcher-1 hit the city. The salvo recording is byte-identical run to run.
 */

const SCENARIO = 'hil-configs/scenarios/salvo-timeline.yaml';

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.resume();
  const io: CommandIo = { stdout, stderr, stdin: Readable.from([]), isTty: false };
  return { code: await main(argv, io), out };
}

interface AssetFigures {
  leakers: number;
  roundsPerKill: number | null;
}
interface SummaryJson {
  hostiles: number;
  intercepted: number;
  launches: number;
  friendliesEngaged: number;
  assets: AssetFigures;
}

/** Launches per target from a truth log: each interceptor's closest-approach record names its target. */
async function launchesPerTarget(truthFile: string): Promise<Map<string, number>> {
  const perTarget = new Map<string, number>();
  const launched = new Set<number>();
  const targetOf = new Map<number, string>();
  for (const line of (await readFile(truthFile, 'utf8')).split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as { kind: string; commandId?: number; targetId?: string };
    if (r.kind === 'launch') launched.add(r.commandId!);
    if (r.kind === 'closest-approach' && r.targetId !== undefined) targetOf.set(r.commandId!, r.targetId);
  }
  for (const c of launched) {
    const target = targetOf.get(c) ?? 'none';
    perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
  }
  return perTarget;
}

const runArgs = (record: string, more: string[] = []) => [
  'run',
  '--scenario',
  SCENARIO,
  '--virtual-time',
  '--broker',
  'none',
  '--capture',
  'none',
  '--mqtt-log',
  'none',
  '--record',
  record,
  '--quiet',
  '--json',
  ...more,
];

t.test('salvo-timeline: salvo kills what shoot-look-shoot lets through, measured on truth', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-salvo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ran = await cli(runArgs(join(dir, 'st.run'), ['--compare-doctrine', 'shoot-look-shoot']));
  t.equal(ran.code, 0, 'the salvo run passes its measurements (no city leaker, at most 2 rounds per kill)');
  const json = JSON.parse(ran.out.trim().split('\n').pop()!) as SummaryJson & {
    comparison: { doctrine: string; summary: SummaryJson };
  };
  const sls = json.comparison.summary;
  t.equal(json.comparison.doctrine, 'shoot-look-shoot');
  t.comment(
    `salvo: ${json.intercepted}/${json.hostiles} intercepted, ${json.assets.leakers} asset leakers, ` +
      `${json.launches} launches, ${json.assets.roundsPerKill} rounds per kill; shoot-look-shoot: ` +
      `${sls.intercepted}/${sls.hostiles}, ${sls.assets.leakers} leakers, ${sls.launches} launches, ` +
      `${sls.assets.roundsPerKill} rounds per kill`,
  );
  t.equal(json.hostiles, 5);
  t.equal(json.assets.leakers, 0, 'salvo: no missile hits the city');
  t.equal(json.intercepted, 5, 'salvo: every hostile killed');
  t.ok(sls.assets.leakers >= 2, 'shoot-look-shoot: the two missiles whose only round missed hit the city');
  t.ok(sls.intercepted < json.intercepted, 'shoot-look-shoot kills fewer');
  t.ok(json.launches > sls.launches, 'salvo spends more rounds');
  t.ok(json.assets.roundsPerKill !== null && json.assets.roundsPerKill <= 2, 'salvo: at most 2 rounds per kill');
  t.equal(json.friendliesEngaged, 0);
  t.equal(sls.friendliesEngaged, 0);

  const salvoLaunches = await launchesPerTarget(join(dir, 'st.truth.jsonl'));
  const slsLaunches = await launchesPerTarget(join(dir, 'st.shoot-look-shoot.truth.jsonl'));
  t.equal(salvoLaunches.get('cm-south-west'), 1, 'salvo: one round at the cruise missile (a second look fits)');
  t.equal(slsLaunches.get('cm-south-west'), 1);
  for (const tbm of ['tbm-north-east-1', 'tbm-north-east-2']) {
    t.equal(slsLaunches.get(tbm), 1, `shoot-look-shoot: one round at ${tbm}, no time for a second`);
  }
  // Under salvo the two rounds of a missile leave together; the one that arrives after the kill
  // flies on, and its closest approach may be to the next missile. Per missile: 2 rounds in all.
  const tbmRounds = [...salvoLaunches].filter(([id]) => id.startsWith('tbm-')).reduce((n, [, c]) => n + c, 0);
  t.equal(tbmRounds, 8, 'salvo: two rounds per ballistic missile');

  // Determinism: the same scenario again, the same recording bytes.
  const again = await cli(runArgs(join(dir, 'again.run')));
  t.equal(again.code, 0);
  t.ok(
    (await readFile(join(dir, 'st.run'))).equals(await readFile(join(dir, 'again.run'))),
    'salvo recording byte-identical run to run',
  );
});
