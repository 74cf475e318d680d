import { VirtualClock } from '../time/virtual-clock.js';
import type { RunBenchOptions, RunResult } from './run-bench-types.js';
import { startBenchRun } from './start-bench-run.js';

/**
 * Run a simulated bench: the firmware simulator in-process over paced memory links, the drivers,
 * the control core in its tick loop (virtual-time driver, or the real-time worker), the operator
 * command path playing the scenario's scripted commands, and the recorder. In virtual time the
 * whole stack runs in lockstep on one VirtualClock as fast as the CPU allows, and the recording
 * is a function of config + scenario + seed only.
 */
export async function runBench(options: RunBenchOptions): Promise<RunResult> {
  const run = await startBenchRun(options);
  const { clock, startUs, endUs } = run;
  let interrupted = false;
  const progressEveryUs = 1_000_000;
  if (clock instanceof VirtualClock) {
    let stopRequested = false;
    void run.stopRequest.then(() => (stopRequested = true));
    for (let t = startUs + progressEveryUs; ; t += progressEveryUs) {
      await clock.runUntil(Math.min(t, endUs));
      run.report();
      if (clock.nowUs() >= endUs) break;
      if (stopRequested) {
        interrupted = true;
        break;
      }
    }
  } else {
    const timers: { cancel(): void }[] = [];
    await new Promise<void>((resolve) => {
      timers.push(clock.setTimerAt(endUs, resolve));
      const tick = (): void => {
        run.report();
        run.refreshLoopTiming();
        timers.push(clock.setTimer(progressEveryUs, tick));
      };
      timers.push(clock.setTimer(progressEveryUs, tick));
      void run.ended.then(resolve);
      void run.stopRequest.then(() => {
        interrupted = true;
        resolve();
      });
    });
    for (const timer of timers) timer.cancel();
  }
  return run.finish(interrupted);
}
