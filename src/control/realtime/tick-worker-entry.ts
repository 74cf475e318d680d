/**
 * Entry module of the tick worker thread (started by `RealtimeLoop` through `spawnWorker`).
 * It only wires `workerData` and the parent port to `runTickWorker`; importing it anywhere else
 * does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runTickWorker } from './run-tick-worker.js';
import type { TickWorkerData } from './tick-worker-protocol.js';

const data = workerData as TickWorkerData | undefined;
if (!isMainThread && parentPort !== null && data?.kind === 'shieldlink-tick-worker') {
  await runTickWorker(data, parentPort);
}
