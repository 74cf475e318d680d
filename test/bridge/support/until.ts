/**
 * Wait for a condition in an integration test that talks to a real broker: poll every 10 ms,
 * give up after `ceilingMs` (a generous bound against hanging, not a timing assertion).
 */
export async function until(condition: () => boolean, ceilingMs = 20_000): Promise<boolean> {
  const deadline = performance.now() + ceilingMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
