/**
 * Configs that cannot hurt: every timing and safety parameter has both bounds; `config check`
 * makes the link checks `run` makes; two devices on one link are refused; an envelope the
 * interceptor cannot fly is an error naming both fields; cross-reference errors come with shape
 * errors; size, nesting depth and list lengths are capped; `frames decode` never echoes a huge
 * line back.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import t from 'tap';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { ConfigError } from '../../src/config/config-error.js';
import { configTextIssues } from '../../src/config/config-text-limits.js';
import { parseScenario } from '../../src/config/load-scenario.js';
import { parseConfigText } from '../../src/config/parse-config-file.js';
import { runCli } from '../cli/frames-io.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-limits-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML documents edited freely below
const BENCH = parseYaml(readFileSync('hil-configs/bench-example.yaml', 'utf8')) as Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML documents edited freely below
const SCENARIO = parseYaml(readFileSync('hil-configs/scenarios/single-ballistic.yaml', 'utf8')) as Record<string, any>;
const clone = <T>(value: T): T => structuredClone(value);
let files = 0;
const write = (data: unknown, text?: string): string => {
  const file = join(dir, `f${files++}.yaml`);
  writeFileSync(file, text ?? toYaml(data));
  return file;
};
const check = (file: string) => runCli(['config', 'check', file]);

t.test('every timing and safety parameter of a bench config has a lower and an upper bound', async (t) => {
  const cases: [string, string, number, number][] = [
    ['control', 'tickHz', 1, 1e6],
    ['control', 'commandLeadS', 0.00001, 1e6],
    ['control', 'replanToleranceM', 0.001, 1e9],
    ['control', 'syncBoundS', 1e-8, 1e6],
    ['control', 'trackStaleS', 0.0001, 1e9],
    ['links', 'supervisionS', 0.000001, 1e9],
    ['links', 'ackTimeoutS', 0.000001, 1e6],
    ['links', 'timeSyncPeriodS', 0.000001, 1e6],
    ['links', 'maxDelayAsymmetryS', 0, 1e6],
    ['auth', 'freshnessS', 0.001, 1e9],
    ['auth', 'twoOperatorWindowS', 0.01, 1e9],
  ];
  for (const [section, key, low, high] of cases) {
    for (const value of [low, high]) {
      const config = clone(BENCH);
      config[section] = { ...config[section], [key]: value };
      const result = await check(write(config));
      t.equal(result.code, 2, `${section}.${key}: ${value} refused`);
      t.match(result.stdout, `${section}.${key}: expected at`, `${section}.${key}: ${value} named`);
    }
  }
  const ok = await check(write(BENCH));
  t.equal(ok.code, 0, ok.stdout);
});

t.test('scenario rates that would eat the machine are refused', async (t) => {
  const scenario = clone(SCENARIO);
  scenario['truthSampleS'] = 0.0000001;
  scenario['radars'][0].scanPeriodS = 0.000001;
  scenario['durationS'] = 1e9;
  const result = await check(write(scenario));
  t.equal(result.code, 2);
  t.match(result.stdout, 'truthSampleS: expected at least 0.001 s');
  t.match(result.stdout, 'radars[0].scanPeriodS: expected at least 0.01 s');
  t.match(result.stdout, 'durationS: expected at most 86400 s');
});

t.test('config check applies the link checks of run', async (t) => {
  for (const [link, reason] of [
    ['tcp://127.0.0.1:99999', /port/],
    ['serial:/dev/ttyUSB0?baud=fast', /baud/],
    ['serial:/dev/ttyUSB0?bogus=1', /bogus/],
    ['memory:launcher-1', /memory: links exist only inside one process/],
  ] as const) {
    const config = clone(BENCH);
    config['devices'].launchers[1].link = link;
    const result = await check(write(config));
    t.equal(result.code, 2, `${link} refused by config check`);
    t.match(result.stdout, 'devices.launchers[1].link: ');
    t.match(result.stdout, reason);
    const run = await runCli(['run', '--config', write(config), '--record', join(dir, 'never.run')]);
    t.equal(run.code, 2, `${link} refused by run the same way`);
    t.match(run.stderr, 'devices.launchers[1].link: ');
  }
});

t.test('two devices on one link are refused', async (t) => {
  const config = clone(BENCH);
  config['devices'].launchers[1].link = config['devices'].radars[0].link.replace('?baud=921600', '?baud=115200');
  const result = await check(write(config));
  t.equal(result.code, 2);
  t.match(result.stdout, 'devices.launchers[1].link: the same link as devices.radars[0].link: two devices on one link');
  const tcp = clone(BENCH);
  tcp['devices'].launchers[0].link = 'tcp://192.0.2.10:4001';
  const both = await check(write(tcp));
  t.equal(both.code, 2);
  t.match(both.stdout, 'devices.launchers[1].link: the same link as devices.launchers[0].link');
});

t.test('an envelope the interceptor cannot fly names both fields', async (t) => {
  const scenario = clone(SCENARIO);
  scenario['launchers'][0].envelope.maxRangeM = 100_000; // 1500 m/s × 40 s = 60 km
  const result = await check(write(scenario));
  t.equal(result.code, 2);
  t.match(
    result.stdout,
    'launchers[0].envelope.maxRangeM: envelope.maxRangeM 100000 m is beyond what the interceptor can fly: speedMps × maxFlightTimeS = 1500 × 40 = 60000 m',
  );
});

t.test('cross-reference errors come together with shape errors', async (t) => {
  const scenario = clone(SCENARIO);
  scenario['launchers'].push({ ...clone(scenario['launchers'][0]), speedMps: 'fast' }); // shape error, duplicate id
  scenario['operatorCommands'].push({ atS: 2, command: 'arm', launcher: 'launcher-9', operators: ['a', 'b'] });
  const result = await check(write(scenario));
  t.equal(result.code, 2);
  t.match(result.stdout, 'launchers[1].speedMps: ');
  t.match(result.stdout, "launchers[1].id: duplicate id 'launcher-1'");
  t.match(result.stdout, "operatorCommands[2].launcher: unknown launcher 'launcher-9'");
  const config = clone(BENCH);
  config['control'] = { tickHz: -5 };
  config['devices'].launchers[1].id = 'launcher-1';
  const bench = await check(write(config));
  t.equal(bench.code, 2);
  t.match(bench.stdout, 'control.tickHz: ');
  t.match(bench.stdout, 'devices: duplicate device id launcher-1');
});

t.test('size, nesting depth and list lengths are capped', async (t) => {
  const deep = await check(write(undefined, '['.repeat(40_000)));
  t.equal(deep.code, 2, '40 kB of nested [ is a config error, not a crash');
  t.match(deep.stdout, 'nesting too deep');
  const braces = await check(write(undefined, 'a: ' + '{b: '.repeat(20_000)));
  t.equal(braces.code, 2);
  let block = '';
  for (let i = 0; i < 2000; i++) block += `${' '.repeat(i)}a${i}:\n`;
  const blockDeep = await check(write(undefined, block));
  t.equal(blockDeep.code, 2);
  t.match(blockDeep.stdout, 'nesting too deep');
  const huge = join(dir, 'huge.yaml');
  writeFileSync(huge, 'seed: 1\n');
  truncateSync(huge, 100 * 1024 * 1024); // 100 MB, sparse: never read
  const big = await check(huge);
  t.equal(big.code, 2);
  t.match(big.stdout, /file too large: 104857600 bytes/);
  const run = await runCli(['run', '--scenario', huge, '--record', join(dir, 'huge.run')]);
  t.equal(run.code, 2, 'run refuses a 100 MB scenario as a config error');
  const many = clone(SCENARIO);
  many['operatorCommands'] = Array.from({ length: 10_001 }, () => ({
    atS: 1,
    command: 'set-weapons-status',
    value: 'hold',
    operators: ['a'],
  }));
  const long = await check(write(many));
  t.equal(long.code, 2);
  t.match(long.stdout, 'operatorCommands: expected at most 10000 operator commands');
});

t.test('property: any text of brackets, braces, indentation and quotes is bounded and never crashes', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('[', ']', '{', '}', '\n', ' ', '- ', 'a: ', '"', "'", '#', ','), { maxLength: 3000 }),
      (parts) => {
        const text = parts.join('');
        configTextIssues(text);
        try {
          parseConfigText('fuzz', text, benchConfigSchema);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
        }
        try {
          parseScenario('fuzz', text);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
        }
      },
    ),
    { numRuns: 300, seed: 1313 },
  );
});

t.test('frames decode does not echo a 200 MB line back', async (t) => {
  const chunk = 'ab'.repeat(512 * 1024); // 1 MiB of hex-looking text
  const input = Readable.from(
    (function* () {
      for (let i = 0; i < 200; i++) yield chunk;
      yield '\n0401\n';
    })(),
  );
  const result = await runCli(['frames', 'decode'], input);
  t.equal(result.code, 0);
  const lines = result.stdout.trim().split('\n');
  t.equal(lines.length, 2, 'one line per input line');
  const first = JSON.parse(lines[0]!) as { ok: boolean; error: string; detail: string; input: string };
  t.equal(first.ok, false);
  t.equal(first.error, 'length');
  t.match(first.detail, 'line of 209715200 characters');
  t.ok(result.stdout.length < 4096, `output ${result.stdout.length} bytes`);
});
