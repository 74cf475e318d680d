import type { Clock, TimerHandle } from '../../src/time/clock.js';
import type { TransportCloseReason } from '../../src/transport/transport.js';
import type { SimLink } from './sim-link.js';

/** First and largest wait before reopening a port that closed or failed to open. */
export const PORT_RETRY_FIRST_US = 100_000;
export const PORT_RETRY_MAX_US = 1_000_000;

/**
 * Keeps a device's end of the link open, as firmware keeps its UART: opened at power-on,
 * reopened with bounded backoff after an unexpected close (a TCP client leaving, a PTY
 * vanishing), closed on purpose while a `disconnect` fault holds the plug out.
 */
export class DevicePort {
  private unplugged = false;
  private stopped = true;
  private retryTimer: TimerHandle | undefined;
  private retryUs = PORT_RETRY_FIRST_US;
  /** Times the port was opened (for tests and counters). */
  opens = 0;

  constructor(
    private readonly link: SimLink,
    private readonly clock: Clock,
    private readonly onLog: (line: string) => void = () => undefined,
  ) {
    link.transport.on('close', (reason) => this.onClose(reason));
  }

  get isUnplugged(): boolean {
    return this.unplugged;
  }

  /** Power on: open, retrying until it works (a TCP listener waits for its client). */
  start(): void {
    this.stopped = false;
    this.tryOpen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    await this.link.transport.close();
  }

  /** Pull the plug (disconnect fault). */
  async unplug(): Promise<void> {
    if (this.unplugged) return;
    this.unplugged = true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    if (this.link.unplug !== undefined) await this.link.unplug();
    else await this.link.transport.close();
  }

  /** Put the plug back and reopen. */
  async replug(): Promise<void> {
    if (!this.unplugged) return;
    this.unplugged = false;
    if (this.link.replug !== undefined) await this.link.replug();
    this.retryUs = PORT_RETRY_FIRST_US;
    this.tryOpen();
  }

  private tryOpen(): void {
    if (this.stopped || this.unplugged || this.link.transport.isOpen) return;
    this.link.transport.open().then(
      () => {
        this.opens++;
        this.retryUs = PORT_RETRY_FIRST_US;
      },
      (error: unknown) => {
        if (this.stopped || this.unplugged) return;
        this.onLog(`open failed: ${error instanceof Error ? error.message : String(error)}`);
        this.scheduleRetry();
      },
    );
  }

  private onClose(reason: TransportCloseReason): void {
    if (reason === 'local' || this.stopped || this.unplugged) return;
    this.onLog(`link closed (${reason}); reopening`);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.unplugged || this.retryTimer !== undefined) return;
    const waitUs = this.retryUs;
    this.retryUs = Math.min(this.retryUs * 2, PORT_RETRY_MAX_US);
    this.retryTimer = this.clock.setTimer(waitUs, () => {
      this.retryTimer = undefined;
      this.tryOpen();
    });
  }
}
