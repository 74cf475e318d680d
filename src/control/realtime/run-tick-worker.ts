import type { MessagePort } from 'node:worker_threads';
import { DeadlineSleeper } from '../../time/deadline-sleeper.js';
import { DeadlineTickLoop } from './deadline-tick-loop.js';
import { loadTickHandler } from './load-tick-handler.js';
import { LoopControlBlock } from './loop-control-block.js';
import { RealtimeError } from './realtime-error.js';
import { SpscByteRing } from './spsc-byte-ring.js';
import { ownThreadScheduling, raiseOwnThreadToFifo, type ThreadScheduling } from './thread-priority.js';
import { TickExecutor } from './tick-executor.js';
import type { TickWorkerData, TickWorkerMessage } from './tick-worker-protocol.js';

/**
 * The tick worker's runtime: load the handler module, take the scheduling policy asked for
 * (SCHED_FIFO, or the default), report `ready`, then run the deadline loop
 * on this thread until stopped, and report `stopped` with the final figures. Returns when the
 * loop has ended; the worker then exits by itself (nothing else keeps its event loop alive).
 */
export async function runTickWorker(data: TickWorkerData, port: MessagePort): Promise<void> {
  const send = (message: TickWorkerMessage): void => port.postMessage(message);
  let handler;
  try {
    handler = await loadTickHandler(data.handlerModule, data.handlerData);
  } catch (error) {
    send({
      type: 'load-failed',
      code: error instanceof RealtimeError ? error.code : 'ERR_TICK_HANDLER_MODULE',
      message: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  let scheduling: ThreadScheduling | undefined;
  try {
    scheduling = data.fifoPriority === undefined ? ownThreadScheduling() : raiseOwnThreadToFifo(data.fifoPriority);
  } catch (error) {
    send({
      type: 'load-failed',
      code: 'ERR_TICK_PRIORITY',
      message: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  const control = new LoopControlBlock(data.control);
  const outputRing = new SpscByteRing(data.outputRing);
  const loop = new DeadlineTickLoop({
    sleeper: new DeadlineSleeper({
      epochNs: data.epochNs,
      spinMarginNs: data.spinMarginUs * 1_000,
      interruptCell: { array: control.words, index: control.stopIndex },
    }),
    control,
    executor: new TickExecutor(handler, new SpscByteRing(data.inputRing), outputRing, data.periodUs),
    outputRing,
    periodUs: data.periodUs,
    ioStallBoundUs: data.ioStallBoundUs,
    events: {
      fault: (fault) => send({ type: 'fault', fault }),
      metrics: (request, stats) => send({ type: 'metrics', request, stats }),
    },
  });
  loop.prepare();
  send({ type: 'ready', firstDeadlineUs: loop.firstDeadlineUs, scheduling: scheduling ?? null });
  const reason = loop.run();
  send({ type: 'stopped', reason, stats: loop.stats() });
  // Wake the I/O thread's output drain one last time, so it collects the final records.
  outputRing.notifyConsumer();
}
