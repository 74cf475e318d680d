import t from 'tap';
import { formatResultLine } from '../../src/conformance/index.js';
import { ProbeLink } from '../../src/conformance/probe-link.js';
import { SCHEMA_HASH } from '../../src/protocol/index.js';
import { drive, simBench } from './support/sim-bench.js';

t.test('the simulated radar passes every applicable rule, 0 skips under --strict', async (t) => {
  const bench = await simBench();
  const report = await bench.conformance('radar-1', { strict: true });
  for (const r of report.results) t.comment(formatResultLine(r));
  t.equal(report.failed, 0, 'no rule failed');
  t.equal(report.skipped, 0, 'no rule skipped');
  t.equal(report.blocked, 0, 'no rule blocked');
  t.equal(report.passed, report.results.length);
  await bench.sim.stop();
});

t.test('the simulated launcher passes every applicable rule (FIRE allowed), 0 skips under --strict', async (t) => {
  const bench = await simBench();
  const report = await bench.conformance('launcher-1', { allowFire: true, strict: true });
  for (const r of report.results) t.comment(formatResultLine(r));
  t.equal(report.failed, 0, 'no rule failed');
  t.equal(report.skipped, 0, 'no rule skipped');
  t.equal(report.blocked, 0, 'no rule blocked');
  t.equal(report.passed, report.results.length);
  const rules = report.results.map((r) => r.ruleId);
  for (const id of ['ICD-CMN-009', 'ICD-CMN-010', 'ICD-CMN-011', 'ICD-LNCH-013', 'ICD-LNCH-014', 'ICD-LNCH-015'])
    t.ok(rules.includes(id), `${id} judged`);
  t.equal(bench.sim.launcher('launcher-1').state, 'safe', 'left SAFE');
  await bench.sim.stop();
});

t.test('a second run against the same, already handshaken devices', async (t) => {
  const bench = await simBench();
  await bench.conformance('launcher-1', {});
  await bench.conformance('radar-1', {});
  for (const id of ['launcher-1', 'radar-1']) {
    const again = await bench.conformance(id, {});
    t.equal(again.failed, 0, `${id}: no rule failed (command ids of the first run are not reused)`);
    const cmn001 = again.results.find((r) => r.ruleId === 'ICD-CMN-001')!;
    t.equal(cmn001.status, 'skip', `${id}: ICD-CMN-001 cannot be judged on a device handshaken before`);
    t.match(
      cmn001.detail,
      /^HELLO → IDENT holds, but .* before HELLO got (ACK|NAK no-heartbeat): the device was handshaken before the kit connected/,
    );
  }
  t.equal(bench.sim.radar('radar-1').mode, 'search', 'the radar is back in the mode it was found in');
  await bench.sim.stop();
});

t.test('a launcher left ARMED by a host that just went away: SAFE by its watchdog, power-on not judged', async (t) => {
  const bench = await simBench();
  const host = new ProbeLink(bench.hostEnd('launcher-1'), bench.clock);
  host.attach();
  await bench.hostEnd('launcher-1').open();
  // The kit's end is paced: a write completes as the clock runs.
  await drive(bench.clock, host.send({ type: 'HELLO', schemaHash: SCHEMA_HASH, hostTimeUs: 0 }));
  host.startHeartbeat();
  await bench.clock.advance(100_000);
  await drive(bench.clock, host.send({ type: 'ARM', commandId: 1 }));
  await bench.clock.advance(700_000);
  t.equal(bench.sim.launcher('launcher-1').state, 'armed');
  host.detach();
  const report = await bench.conformance('launcher-1', { rules: ['ICD-LNCH-001'] });
  t.equal(report.results[0]?.status, 'pass');
  t.match(
    report.results[0]?.detail,
    /^not fresh: armed when the kit connected, on for ~0\.8 s, SAFE by its watchdog \d+(\.\d+)? ms later; power-on state not judged; /,
  );
  await bench.sim.stop();
});
