import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { BridgeError } from './bridge-error.js';
import { idString } from './schemas/payload-primitives.js';

const user = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(16).max(256),
});

/**
 * `<node>.mqtt.json` (mode 0600), written by the node the first time it starts an embedded
 * broker and reused after: one login per role of the ACL (`broker-acl.ts`).
 */
export const brokerCredentialsFile = z.strictObject({
  v: z.literal(1),
  nodeId: idString,
  users: z.strictObject({
    node: user.describe('The node itself (shieldlink-<node>).'),
    operator: user.describe('For shieldlink cmd on this machine (operator-<node>).'),
    display: user.describe('The live display page: operator rights, so its console can send commands.'),
    viewer: user.describe('Read-only dashboards (viewer-<node>).'),
    admin: user.describe('Reads everything, including the audit (admin-<node>).'),
  }),
});
export type BrokerCredentials = z.infer<typeof brokerCredentialsFile>;
export type BrokerRole = keyof BrokerCredentials['users'];

/** New random credentials for `nodeId` (24 random bytes per password, base64url). */
export function generateBrokerCredentials(nodeId: string): BrokerCredentials {
  const login = (username: string) => ({ username, password: randomBytes(24).toString('base64url') });
  return {
    v: 1,
    nodeId,
    users: {
      node: login(`shieldlink-${nodeId}`),
      operator: login(`operator-${nodeId}`),
      display: login(`operator-display-${nodeId}`),
      viewer: login(`viewer-${nodeId}`),
      admin: login(`admin-${nodeId}`),
    },
  };
}

/** Read a credentials file; refused when readable by group or others, or malformed. */
export async function loadBrokerCredentials(file: string): Promise<BrokerCredentials> {
  let text: string;
  let mode: number;
  try {
    mode = (await stat(file)).mode;
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new BridgeError(
      'key-file',
      `cannot read broker credentials ${file} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new BridgeError('key-file', `${file}: broker credentials readable by group or others (chmod 600 it)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BridgeError('key-file', `${file}: not JSON`);
  }
  const parsed = brokerCredentialsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BridgeError('key-file', `${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Load `file`, or generate credentials for `nodeId` and write them there (0600, never overwriting). */
export async function loadOrCreateBrokerCredentials(
  file: string,
  nodeId: string,
): Promise<{ credentials: BrokerCredentials; created: boolean }> {
  try {
    const credentials = await loadBrokerCredentials(file);
    if (credentials.nodeId !== nodeId) {
      throw new BridgeError('key-file', `${file}: credentials of node '${credentials.nodeId}', not '${nodeId}'`);
    }
    return { credentials, created: false };
  } catch (error) {
    if (!(error instanceof BridgeError) || !/\(ENOENT\)/.test(error.message)) throw error;
  }
  const credentials = generateBrokerCredentials(nodeId);
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(JSON.stringify(credentials, null, 2) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { credentials, created: true };
}
