import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The shared interop captures: beside the repository in CI (`../shared/interop/asterix`), or
 * where SHIELDLINK_INTEROP_DIR says (a worktree elsewhere).
 */
export const INTEROP_DIR = process.env['SHIELDLINK_INTEROP_DIR'] ?? path.resolve(repoRoot, '../shared/interop/asterix');

const inCi = process.env['CI'] === 'true';

/**
 * A tap `skip` value for a test that needs `what`: false when present; the reason otherwise.
 * Under CI=true a missing tool or data set is a failure, not a skip: this throws.
 */
function skipUnless(present: boolean, reason: string): false | string {
  if (present) return false;
  if (inCi) throw new Error(`${reason} (CI=true: a missing tool fails the test)`);
  return reason;
}

export const TSHARK_SKIP: false | string = skipUnless(
  spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0,
  "tshark not found: install Debian's tshark (apt-get install -y tshark) to compare with Wireshark",
);

export const INTEROP_SKIP: false | string = skipUnless(
  existsSync(path.join(INTEROP_DIR, 'cat_034_048.pcap')),
  `interop captures not found at ${INTEROP_DIR}`,
);

/** tshark's value of one field: a string as printed. */
export type TsharkTree = { [key: string]: string | TsharkTree | (string | TsharkTree)[] };

/** One ASTERIX record as tshark decoded it, with its frame number. */
export interface TsharkRecord {
  frame: number;
  category: number;
  /** "asterix.048_040" → its subtree */
  items: Record<string, TsharkTree | string | (string | TsharkTree)[]>;
}

/** Run tshark over a capture with every UDP destination port decoded as ASTERIX. */
export function tsharkRecords(capture: string): TsharkRecord[] {
  const ports = execFileSync('tshark', ['-r', capture, '-T', 'fields', '-e', 'udp.dstport'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .filter((line) => line.trim() !== '');
  const decodeAs = [...new Set(ports)].flatMap((port) => ['-d', `udp.port==${port},asterix`]);
  const json = execFileSync('tshark', ['-r', capture, ...decodeAs, '-T', 'json', '--no-duplicate-keys'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const packets = JSON.parse(json) as { _source: { layers: Record<string, unknown> } }[];
  const records: TsharkRecord[] = [];
  for (const packet of packets) {
    const layers = packet._source.layers;
    const frame = Number((layers['frame'] as Record<string, string>)['frame.number']);
    for (const block of asArray(layers['asterix'])) {
      const tree = block as TsharkTree;
      const category = Number(tree['asterix.category']);
      for (const message of asArray(tree['asterix.message'])) {
        const items: TsharkRecord['items'] = {};
        for (const [key, value] of Object.entries(message as TsharkTree)) {
          if (key === 'asterix.fspec') continue;
          items[key] = value;
        }
        records.push({ frame, category, items });
      }
    }
  }
  return records;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * tshark's complaints about a capture, every UDP port decoded as ASTERIX: the lines of its full
 * packet tree (`-V`) that flag a malformed packet or carry expert info (empty = clean). (`-z
 * expert` alone does not list malformed ASTERIX packets in tshark 4.0.)
 */
export function tsharkExpert(capture: string, ports: number[]): string {
  const decodeAs = ports.flatMap((port) => ['-d', `udp.port==${port},asterix`]);
  const tree = execFileSync('tshark', ['-r', capture, ...decodeAs, '-V'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return tree
    .split('\n')
    .filter((line) => /Malformed|Expert Info/i.test(line))
    .join('\n');
}
