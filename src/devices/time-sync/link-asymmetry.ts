/**
 * What carries a device's bytes, as far as time sync cares: how unequal the two one-way delays
 * of a time-sync exchange can be (docs/decisions/0008-launch-error-budget.md).
 *
 * - `memory`: the in-process simulator over paced memory links. In virtual time the delays are
 *   exact (round trip 0); in real time each direction's delay is the lateness of a platform
 *   timer on the one event loop, with nothing to make the two equal — measured on a loaded
 *   2-core machine, offset error p99 566 us, max 764 us, mean +150 us, against a round trip of
 *   ~2.5-3.5 ms. No assumption: the rigorous bound (half the round trip).
 * - `pty`: the simulator in its own process on socat PTY pairs; (up − down)/2 measured +15 to
 *   +111 us (docs/performance.md §4): 150 us.
 * - `usb-serial-low-latency`: a USB serial adapter with a 1 ms latency timer (`lowLatency=true`);
 *   the device → host direction waits up to the timer plus a 1 ms USB frame, the other way up
 *   to one frame: 2,000 us.
 * - `serial`: any other serial port (a 16 ms FTDI latency timer by default, an unknown UART
 *   bridge): no assumption.
 * - `tcp`: an Ethernet serial server (ser2net) over a network: no assumption.
 */
export type TimeSyncLinkKind = 'memory' | 'pty' | 'usb-serial-low-latency' | 'serial' | 'tcp';

/** Default `maxDelayAsymmetryUs` of a link kind; Infinity = the rigorous bound (half the round trip). */
export function defaultDelayAsymmetryUs(kind: TimeSyncLinkKind): number {
  switch (kind) {
    case 'pty':
      return 150;
    case 'usb-serial-low-latency':
      return 2_000;
    case 'memory':
    case 'serial':
    case 'tcp':
      return Number.POSITIVE_INFINITY;
  }
}
