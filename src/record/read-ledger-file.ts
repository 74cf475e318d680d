import { open } from 'node:fs/promises';

/**
 * A ledger file's bytes, as `shieldlink verify` reads it (not decoded: the verifier works on the
 * bytes). The buffer is written by this process before the file is read into it, so the pages
 * are mapped by the process's own first touch: on the virtual machines measured, pages that the
 * kernel first maps while copying the file in cost about 1.7 ns per byte on the first pass over
 * them (a cost that lands in whatever reads them first), and touching them first here costs the
 * same, so the read takes the whole cost of bringing the file into memory (see docs/decisions/0047).
 * Throws the fs error (ENOENT, EISDIR, …) as it comes; a file that shrinks while read gives
 * the bytes read.
 */
export async function readLedgerFile(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const bytes = Buffer.allocUnsafeSlow(size).fill(0);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}
