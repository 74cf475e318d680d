/**
 * A bridge in its own process, for kill -9 tests: `node --import tsx bridge-child.ts URL DIR`.
 * Prints `ready` once connected with the full state published, then runs until killed.
 */
import { startTestBridge } from './bridge-scenario.js';
import { deviceState } from './fake-source.js';

const [url, dir] = process.argv.slice(2);
if (url === undefined || dir === undefined) {
  // Run by a test runner that picked up every file of the folder: nothing to do here.
  process.stdout.write('1..0 # SKIP bridge-child is a fixture started by bridge-mosquitto.test.ts\n');
  process.exit(0);
}
const { bridge, source, clock } = await startTestBridge(url, dir);
await bridge.whenConnected();
source.sink!.deviceState(deviceState('radar-1', clock.nowUs()));
source.sink!.deviceState(deviceState('launcher-1', clock.nowUs()));
source.sink!.engagement({
  engagementId: 'e1',
  trackId: '1',
  launcherId: 'launcher-1',
  transition: 'planned',
  state: 'planned',
  reason: null,
  commandId: null,
  sourceSeq: 1,
  hostTimeUs: clock.nowUs(),
});
await bridge.whenIdle();
while (bridge.metricsSnapshot().stateMessages < 2) await new Promise((resolve) => setTimeout(resolve, 5));
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => undefined, 60_000);
