/**
 * The node's CAT062 output of a raid-50 run (virtual time), captured to a pcap: tshark decodes it
 * with zero malformed items and no expert warnings or errors, tshark's values equal ours item by
 * item, each I105 WGS-84 position agrees with the track's I100/I130 position through the
 * geodetic module within the items' resolution, and with the simulator's truth within the
 * tracker's error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { AsterixDecoder, type AsterixFields, type AsterixRecord, CAT062, writePcap } from '../../src/asterix/index.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { LocalFrame } from '../../src/geo/index.js';
import { Cat062Output } from '../../src/asterix-io/cat062-output.js';
import { compareRecord } from '../asterix/support/compare-tshark.js';
import { TSHARK_SKIP, tsharkExpert, tsharkRecords } from '../asterix/support/tshark.js';

const SITE = { latDeg: 43.5, lonDeg: 16.4, heightM: 120 };
const PORT = 8600;

t.test(
  'raid-50 CAT062 output: tshark-clean, equal to tshark item by item, WGS-84 right',
  { skip: TSHARK_SKIP, timeout: 600_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cat062-'));
    const frame = new LocalFrame(SITE);
    const packets: { timeUs: number; dstPort: number; payload: Uint8Array }[] = [];
    const output = new Cat062Output({
      sac: 25,
      sic: 77,
      periodUs: 1_000_000,
      simulated: true,
      frame,
      timeOfDayS: (hostUs) => (hostUs / 1e6) % 86400,
      send: (datagram, hostUs) =>
        packets.push({ timeUs: Date.UTC(2026, 0, 1) * 1000 + hostUs, dstPort: PORT, payload: datagram }),
    });
    const truthFile = path.join(dir, 'truth.jsonl');
    const loaded = await loadBenchConfig('hil-configs/sim.yaml');
    await runBench({
      loaded,
      scenarioFile: 'hil-configs/scenarios/raid-50.yaml',
      virtualTime: true,
      broker: 'none',
      observers: [output],
      truthFile,
    });
    t.ok(output.counters.records > 500, `${output.counters.records} records in ${output.counters.blocks} blocks`);

    const file = path.join(dir, 'cat062.pcap');
    writeFileSync(file, writePcap(packets));
    const expert = tsharkExpert(file, [PORT]);
    t.equal(expert, '', 'no malformed packet, no expert info');
    // the check can fail: a cut block is reported by the same command
    const broken = path.join(dir, 'broken.pcap');
    writeFileSync(broken, writePcap([{ timeUs: 0, dstPort: PORT, payload: packets[0]!.payload.subarray(0, 20) }]));
    t.match(tsharkExpert(broken, [PORT]), /Malformed/, 'a cut block is flagged by tshark');

    const ours: AsterixRecord[] = [];
    const decoder = new AsterixDecoder();
    for (const packet of packets) decoder.decode(packet.payload, { record: (record) => ours.push(record) });
    t.equal(decoder.counters.malformedBlocks, 0);
    const theirs = tsharkRecords(file);
    t.equal(theirs.length, ours.length, 'tshark sees every record');
    const differences = theirs.flatMap((record, n) => compareRecord(CAT062, ours[n]!, record));
    t.same(differences.slice(0, 20), [], `tshark's values equal ours (${differences.length} differences)`);

    // I105 + I130 (WGS-84 position and height) against I100 (the node's ENU plane) through the
    // geodetic module: within the items' resolution (I105 LSB 180/2^25 deg ~ 0.6 m, I100 0.5 m,
    // I130 6.25 ft seen through the plane's tilt at the track's distance)
    let worstM = 0;
    for (const record of ours) {
      const wgs = record.items.get('105') as AsterixFields;
      const xy = record.items.get('100') as AsterixFields;
      const altFt = (record.items.get('130') as AsterixFields)['ALT'] as number;
      if (altFt >= 204_793) continue; // clamped: above the item's range
      const enu = frame.enuOf({ latDeg: wgs['LAT'] as number, lonDeg: wgs['LON'] as number, heightM: altFt * 0.3048 });
      const dM = Math.hypot(enu.eastM - (xy['X'] as number), enu.northM - (xy['Y'] as number));
      const rangeM = Math.hypot(enu.eastM, enu.northM);
      const allowedM = 0.6 + 0.5 + (6.25 * 0.3048 * rangeM) / 6_371_000 + 0.01;
      if (dM > allowedM) {
        t.fail(
          `TRN ${(record.items.get('040') as AsterixFields)['TRN']}: I105/I130 ${JSON.stringify(wgs)} ${altFt} ft is ${dM.toFixed(2)} m from I100 ${JSON.stringify(xy)}`,
        );
        break;
      }
      worstM = Math.max(worstM, dM);
    }
    t.ok(worstM < 1.2, `I105/I130 within resolution of I100 (worst ${worstM.toFixed(2)} m)`);

    // against the simulator's truth: each record's position near some truth target at that time
    const truth = readFileSync(truthFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"kind":"target"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            tUs: number;
            eastM: number;
            northM: number;
            upM: number;
            eastMps: number;
            northMps: number;
            upMps: number;
          },
      );
    const byTime = new Map<number, typeof truth>();
    for (const sample of truth) byTime.set(sample.tUs, [...(byTime.get(sample.tUs) ?? []), sample]);
    const times = [...byTime.keys()].sort((a, b) => a - b);
    const errorsM: number[] = [];
    for (const record of ours) {
      const tot = (record.items.get('070') as AsterixFields)['ToT'] as number;
      const tUs = tot * 1e6;
      const at = times.findLast((time) => time <= tUs) ?? times[0]!;
      const wgs = record.items.get('105') as AsterixFields;
      const alt = (record.items.get('130') as AsterixFields)['ALT'] as number;
      if (alt >= 204_793) continue;
      const enu = frame.enuOf({ latDeg: wgs['LAT'] as number, lonDeg: wgs['LON'] as number, heightM: alt * 0.3048 });
      if ((record.items.get('080') as AsterixFields)['TSE'] === 1) continue; // a dropped track's last estimate
      let best = Infinity;
      for (const s of byTime.get(at)!) {
        const dt = (tUs - s.tUs) / 1e6;
        best = Math.min(
          best,
          Math.hypot(
            s.eastM + s.eastMps * dt - enu.eastM,
            s.northM + s.northMps * dt - enu.northM,
            s.upM + s.upMps * dt - enu.upM,
          ),
        );
      }
      errorsM.push(best);
    }
    errorsM.sort((a, b) => a - b);
    const median = errorsM[Math.floor(errorsM.length / 2)]!;
    const p95 = errorsM[Math.floor(errorsM.length * 0.95)]!;
    t.comment(
      `distance of CAT062 positions to the nearest truth target: median ${median.toFixed(1)} m, p95 ${p95.toFixed(1)} m (n=${errorsM.length})`,
    );
    t.ok(median < 30, 'the median CAT062 position is within 30 m of the truth (tracker error, not encoding)');
  },
);
