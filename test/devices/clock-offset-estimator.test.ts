import fc from 'fast-check';
import t from 'tap';
import { ClockOffsetEstimator, syncSampleFrom } from '../../src/devices/index.js';

/** One simulated exchange's random parts. */
const exchangeArb = fc.record({
  /** Host-side start jitter of the request. */
  startJitterUs: fc.double({ min: 0, max: 20_000, noNaN: true }),
  /** One-way latencies beyond line time (OS, USB), independently random: asymmetric. */
  upUs: fc.double({ min: 0, max: 2_000, noNaN: true }),
  downUs: fc.double({ min: 0, max: 2_000, noNaN: true }),
  /** Used instead of downUs when the scenario bounds the asymmetry: down = max(0, up + skew·A). */
  skew: fc.double({ min: -1, max: 1, noNaN: true }),
  /** Device turnaround between end of reception and start of transmission. */
  turnaroundUs: fc.double({ min: 0, max: 5_000, noNaN: true }),
});

const scenarioArb = fc.record({
  offsetUs: fc.double({ min: -1e10, max: 1e10, noNaN: true }),
  driftPpm: fc.double({ min: -200, max: 200, noNaN: true }),
  /** Line times of request and response; 0 models an unpaced link. */
  requestLineUs: fc.constantFrom(0, 147.6, 1_475.7),
  responseLineUs: fc.constantFrom(0, 286.5, 2_864.6),
  periodUs: fc.constantFrom(20_000, 100_000),
  exchanges: fc.array(exchangeArb, { minLength: 1, maxLength: 80 }),
  /** Asymmetry the bound may assume (undefined: none, the rigorous default). */
  maxDelayAsymmetryUs: fc.option(fc.constantFrom(0, 50, 500), { nil: undefined }),
  windowSize: fc.integer({ min: 1, max: 128 }),
  filterSlackUs: fc.constantFrom(0, 10, 100),
  /** Where to check: offsets from the last exchange, up to 30 s ahead (a FIRE's lead). */
  checkAtUs: fc.array(fc.double({ min: -2_000_000, max: 30_000_000, noNaN: true }), { minLength: 1, maxLength: 5 }),
});

t.test('property: the estimate error stays within its own reported bound', async (t) => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const drift = s.driftPpm / 1e6;
      const trueOffset = (hostUs: number): number => s.offsetUs + drift * hostUs;
      const deviceClock = (hostUs: number): number => Math.floor(hostUs + trueOffset(hostUs));
      const estimator = new ClockOffsetEstimator({ windowSize: s.windowSize, filterSlackUs: s.filterSlackUs });
      let lastUs = 0;
      s.exchanges.forEach((x, k) => {
        const t1 = 1_000_000 + k * s.periodUs + x.startJitterUs;
        const arriveUs = t1 + s.requestLineUs + x.upUs;
        const departUs = arriveUs + x.turnaroundUs;
        const asymmetry = s.maxDelayAsymmetryUs;
        const downUs = asymmetry === undefined ? x.downUs : Math.max(0, x.upUs + x.skew * asymmetry);
        const t4 = departUs + s.responseLineUs + downUs;
        estimator.add(
          syncSampleFrom(
            {
              t1Us: t1,
              t2Us: deviceClock(arriveUs),
              t3Us: deviceClock(departUs),
              t4Us: t4,
              requestLineUs: s.requestLineUs,
              responseLineUs: s.responseLineUs,
            },
            { timestampResolutionUs: 1, maxDriftPpm: 500, maxDelayAsymmetryUs: s.maxDelayAsymmetryUs },
          ),
        );
        lastUs = t4;
      });
      const estimate = estimator.estimate()!;
      for (const delta of s.checkAtUs) {
        const at = lastUs + delta;
        const error = Math.abs(estimate.offsetAtUs(at) - trueOffset(at));
        const bound = estimate.uncertaintyAtUs(at);
        // Float rounding on offsets up to 1e10 us.
        const slack = 1e-6 * (1 + Math.abs(s.offsetUs) * 1e-3);
        if (!(error <= bound + slack)) {
          throw new Error(`error ${error} > bound ${bound} at +${delta} us`);
        }
        const roundTrip = estimate.deviceToHostUs(estimate.hostToDeviceUs(at));
        if (Math.abs(roundTrip - at) > 1e-3) throw new Error(`inverse off by ${roundTrip - at}`);
      }
    }),
    { numRuns: 1000, seed: 20240611 },
  );
  t.pass('1000 random scenarios');
});

t.test('min-RTT filter: queued exchanges do not drag the estimate', async (t) => {
  const estimator = new ClockOffsetEstimator();
  const offsetUs = 1_000;
  for (let k = 0; k < 50; k++) {
    const t1 = k * 100_000;
    // Every third exchange waits 3 ms on the way back (asymmetric): biased by 1.5 ms alone.
    const downUs = k % 3 === 0 ? 3_000 : 10;
    const t2 = t1 + 10 + offsetUs;
    estimator.add(
      syncSampleFrom(
        { t1Us: t1, t2Us: t2, t3Us: t2, t4Us: t1 + 10 + downUs, requestLineUs: 0, responseLineUs: 0 },
        { timestampResolutionUs: 1, maxDriftPpm: 500 },
      ),
    );
  }
  const estimate = estimator.estimate()!;
  t.ok(estimate.samplesUsed < 50 && estimate.samplesUsed >= 30, `used ${estimate.samplesUsed}`);
  t.ok(Math.abs(estimate.offsetAtUs(2_500_000) - offsetUs) < 1, 'unbiased by the queued ones');
  t.ok(estimate.uncertaintyAtUs(2_500_000) < 20);
});

t.test('one sample: drift unknown, the bound grows at maxDriftPpm', async (t) => {
  const estimator = new ClockOffsetEstimator({ maxDriftPpm: 100 });
  estimator.add({ hostUs: 0, offsetUs: 5, rttUs: 0, halfWidthUs: 2 });
  const estimate = estimator.estimate()!;
  t.equal(estimate.driftRatio, 0);
  t.equal(estimate.uncertaintyAtUs(0), 2);
  t.equal(estimate.uncertaintyAtUs(1_000_000), 102);
  estimator.reset();
  t.equal(estimator.estimate(), undefined);
});
