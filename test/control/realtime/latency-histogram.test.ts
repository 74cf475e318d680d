import t from 'tap';
import { LatencyHistogram } from '../../../src/control/realtime/latency-histogram.js';

t.test('zeros (and negatives) are counted and weigh in every percentile', async (t) => {
  const h = new LatencyHistogram();
  for (let i = 0; i < 98; i++) h.recordNs(0);
  h.recordNs(-5);
  h.recordNs(2_000_000); // 2 ms
  t.equal(h.count, 100);
  const s = h.summary();
  t.equal(s.count, 100);
  t.equal(s.p50, 0);
  t.equal(s.p99, 0);
  t.ok(Math.abs(s.max - 2_000) < 2, `max ${s.max} us`);
  t.ok(Math.abs(s.mean - 20) < 0.1, `mean ${s.mean} us`);
  h.recordNs(0);
  t.equal(h.summary().count, 101, 'zeros after a read are counted too');
  h.reset();
  t.equal(h.count, 0);
  t.equal(h.summary().count, 0);
});
