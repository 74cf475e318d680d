import type { Transport, TransportCloseReason } from '../../src/transport/transport.js';

/** Listens to one transport end and keeps everything it reports, for assertions. */
export class EndRecorder {
  private readonly chunks: Uint8Array[] = [];
  byteCount = 0;
  readonly closes: { reason: TransportCloseReason; cause: Error | undefined }[] = [];
  readonly errors: Error[] = [];

  constructor(readonly transport: Transport) {
    transport.on('data', (chunk) => {
      this.chunks.push(chunk);
      this.byteCount += chunk.length;
    });
    transport.on('close', (reason, cause) => this.closes.push({ reason, cause }));
    transport.on('error', (error) => this.errors.push(error));
  }

  /** Every byte received so far, in order. */
  received(): Uint8Array {
    const all = new Uint8Array(this.byteCount);
    let at = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

  /** The chunk sizes seen, in order (chunk boundaries carry no meaning; pacing tests look). */
  chunkSizes(): number[] {
    return this.chunks.map((c) => c.length);
  }

  closeReasons(): TransportCloseReason[] {
    return this.closes.map((c) => c.reason);
  }

  /** Forget received bytes (not events). */
  clearData(): void {
    this.chunks.length = 0;
    this.byteCount = 0;
  }
}
