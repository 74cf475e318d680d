/** Prefix of the stderr line bench/sim-epoch-probe prints in the simulator process. */
export const POWER_ON_LINE_PREFIX = 'shieldlink-bench-power-on ';
