/** Run the bench's virtual clock until `promise` settles; resolve or reject like it. */
export async function settle<T>(
  bench: { runUntil: (done: () => boolean, limitUs?: number) => Promise<boolean> },
  promise: Promise<T>,
  limitUs = 2_000_000,
): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await bench.runUntil(() => settled, limitUs);
  return promise;
}

/** The rejection of `promise` (or `undefined` if it resolved), after running the clock. */
export async function rejectionOf(
  bench: { runUntil: (done: () => boolean, limitUs?: number) => Promise<boolean> },
  promise: Promise<unknown>,
  limitUs?: number,
): Promise<unknown> {
  return settle(bench, promise, limitUs).then(
    () => undefined,
    (error: unknown) => error,
  );
}
