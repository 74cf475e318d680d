import type { ControlConfig } from '../control/index.js';
import { RealtimeLoop, type TickLoop, VirtualTickDriver, siblingModuleUrl } from '../control/realtime/index.js';
import controlTickHandler, { type ControlTickHandlerData } from '../session/control-tick-handler.js';
import { SameThreadChannel } from '../session/same-thread-channel.js';
import type { Clock } from '../time/clock.js';

/** A run's control loop, and (virtual time) the channel its outputs reach the session on. */
export interface RunTickLoop {
  readonly loop: TickLoop;
  /** Virtual time only: the handler runs on this thread and hands its outputs over by reference. */
  readonly sameThread: SameThreadChannel | undefined;
}

/**
 * Start the control core's tick loop at `controlConfig.tickPeriodUs`: in virtual time a
 * {@link VirtualTickDriver} on `clock` with the handler on this thread; in real time the
 * worker-thread {@link RealtimeLoop}, at SCHED_FIFO `fifoPriority` when given. Rejects when the
 * worker cannot start (the run then fails before any device is touched).
 */
export async function startRunTickLoop(
  virtualTime: boolean,
  clock: Clock,
  controlConfig: ControlConfig,
  fifoPriority: number | undefined,
): Promise<RunTickLoop> {
  const handlerData: ControlTickHandlerData = { config: controlConfig };
  if (virtualTime) {
    const sameThread = new SameThreadChannel();
    const loop = await VirtualTickDriver.start({
      clock,
      handler: await controlTickHandler({ ...handlerData, sameThread }),
      periodUs: controlConfig.tickPeriodUs,
    });
    return { loop, sameThread };
  }
  const loop = await RealtimeLoop.start({
    handlerModule: siblingModuleUrl('../session/control-tick-handler.js', import.meta.url),
    handlerData,
    periodUs: controlConfig.tickPeriodUs,
    clock,
    ...(fifoPriority === undefined ? {} : { fifoPriority }),
  });
  return { loop, sameThread: undefined };
}
