/** Split `stream` at the cut points (taken modulo its length + 1): chunks in order, some empty. */
export function chunkStream(stream: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(stream.subarray(from, point));
    from = point;
  }
  chunks.push(stream.subarray(from));
  return chunks;
}
