import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { benchMain } from '../../bench/run.js';
import type { BenchResult } from '../../bench/bench-result.js';
import { TABLE_END, TABLE_START, updatePerformanceDoc } from '../../bench/performance-doc.js';

/**
 * Smoke test of the benchmark runner: the quick codec part through the real runner
 * (child process and all), and the shape of what it writes. Never a timing assertion: figures
 * are only checked to be numbers.
 */

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-smoke-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('bench --only codec --quick writes figure records of the documented shape', async (t) => {
  const out = join(dir, 'latest.json');
  const doc = join(dir, 'performance.md');
  writeFileSync(
    doc,
    `# Performance\n\nHand-written intro.\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nHand-written analysis.\n`,
  );
  const stdout = sink();
  const stderr = sink();
  const code = await benchMain(['--only', 'codec', '--quick', '--out', out, '--doc', doc], {
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  t.equal(code, 0, stderr.text());
  const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResult[];
  t.ok(Array.isArray(results) && results.length >= 4, 'an array of records');
  for (const r of results) {
    t.type(r.name, 'string');
    t.ok(typeof r.value === 'number' && Number.isFinite(r.value), `${r.name}: value is a number`);
    t.type(r.unit, 'string');
    if (r.baseline !== undefined) t.type(r.baseline, 'string');
    if (r.baselineValue !== undefined && r.baselineValue !== null) t.type(r.baselineValue, 'number');
    if (r.goal !== undefined) t.type(r.goal, 'string');
    if (r.met !== undefined) t.type(r.met, 'boolean');
    t.match(r, { group: 'codec', part: 'codec', mode: 'quick' });
    t.match(r.machine, { cpu: String, cores: Number, memoryGiB: Number, node: process.version, os: String });
    t.equal(r.machine.loadAvg1.length, 2);
  }
  t.same(results.map((r) => r.name).sort(), [
    'codec.decode.FIRE',
    'codec.decode.TRACK_REPORT',
    'codec.encode.FIRE',
    'codec.encode.TRACK_REPORT',
  ]);
  const decode = results.find((r) => r.name === 'codec.decode.TRACK_REPORT')!;
  t.ok(decode.goal !== undefined && typeof decode.met === 'boolean', 'a goal with a verdict');
  const text = readFileSync(doc, 'utf8');
  t.match(text, /Hand-written intro\.[\s\S]*codec\.decode\.TRACK_REPORT[\s\S]*Hand-written analysis\./);
  t.notMatch(text, /old table/);
  t.match(stdout.text(), /codec\.decode\.TRACK_REPORT/);
});

t.test('an unknown benchmark is a usage error and nothing runs', async (t) => {
  const stderr = sink();
  const code = await benchMain(['--only', 'nonesuch', '--no-doc', '--out', join(dir, 'none.json')], {
    stdout: sink().stream,
    stderr: stderr.stream,
  });
  t.equal(code, 2);
  t.match(stderr.text(), /no such benchmark/);
});

t.test('a part that cannot run is recorded as not run, with the reason', async (t) => {
  const results: BenchResult[] = [
    {
      name: 'mqtt.broker',
      value: null,
      unit: 'not run',
      notRun: 'not available: ./mqtt.js does not export runMqttBench()',
      machine: {
        cpu: 'x',
        cores: 2,
        memoryGiB: 1,
        node: 'v20',
        os: 'Linux',
        loadAvg1: [0, 0],
        cpuPressureSome60: null,
      },
      group: 'mqtt',
      part: 'mqtt.broker',
      mode: 'quick',
      measuredAt: new Date(0).toISOString(),
    },
  ];
  const doc = join(dir, 'not-run.md'); // does not exist yet: created with the markers
  await updatePerformanceDoc(doc, results);
  const text = readFileSync(doc, 'utf8');
  t.ok(text.includes(TABLE_START) && text.includes(TABLE_END), 'markers kept');
  t.match(text, /`mqtt\.broker` \| not run/);
});
