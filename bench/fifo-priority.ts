/**
 * The SCHED_FIFO priority the benchmarks give the tick thread (`RealtimeLoopOptions.fifoPriority`,
 * as `control.tickFifoPriority` does for a run): 50 leaves room above for kernel threads such as
 * IRQ handlers.
 */
export const BENCH_FIFO_PRIORITY = 50;
