/**
 * Wait for real I/O: resolve when `condition()` holds, checking every few milliseconds;
 * reject after `limitMs` (generous: this machine is shared and noisy, and nothing here
 * asserts on elapsed time).
 */
export async function pollUntil(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = process.hrtime.bigint();
  while (!condition()) {
    if (Number(process.hrtime.bigint() - started) / 1e6 > limitMs) {
      throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
