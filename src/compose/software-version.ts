import { readFile } from 'node:fs/promises';

let cached: string | undefined;

/** The package version (from package.json next to src/ or dist/). */
export async function softwareVersion(): Promise<string> {
  if (cached !== undefined) return cached;
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const text = await readFile(new URL(relative, import.meta.url), 'utf8');
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === 'shieldlink' && parsed.version !== undefined) return (cached = parsed.version);
    } catch {
      // try the next location
    }
  }
  return (cached = 'unknown');
}
