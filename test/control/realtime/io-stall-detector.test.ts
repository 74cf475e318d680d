import t from 'tap';
import { IoStallDetector } from '../../../src/control/realtime/io-stall-detector.js';

t.test('stalled once the heartbeat is older than the bound, cleared by the next beat', async (t) => {
  const ms = 1_000_000;
  const detector = new IoStallDetector(50 * ms, 7, 0);
  t.equal(detector.update(7, 10 * ms), 'none');
  t.equal(detector.update(8, 20 * ms), 'none', 'beat');
  t.equal(detector.update(8, 70 * ms), 'none', 'age exactly the bound is not a stall');
  t.equal(detector.update(8, 71 * ms), 'stalled');
  t.ok(detector.stalled);
  t.equal(detector.heartbeatAgeNs, 51 * ms);
  t.equal(detector.update(8, 90 * ms), 'none', 'reported once');
  t.ok(detector.stalled);
  t.equal(detector.update(9, 130 * ms), 'cleared');
  t.equal(detector.heartbeatAgeNs, 110 * ms, 'how long the beat was missing');
  t.notOk(detector.stalled);
  t.equal(detector.update(9, 140 * ms), 'none');
});
