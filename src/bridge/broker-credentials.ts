import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KeyFileError, loadSecretKeyJson, parseKeyFile, writeKeyFile } from './key-file.js';
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
  return parseKeyFile(brokerCredentialsFile, await loadSecretKeyJson(file, 'broker credentials'), file);
}

/** Load `file`, or generate credentials for `nodeId` and write them there (0600, never overwriting). */
export async function loadOrCreateBrokerCredentials(
  file: string,
  nodeId: string,
): Promise<{ credentials: BrokerCredentials; created: boolean }> {
  try {
    const credentials = await loadBrokerCredentials(file);
    if (credentials.nodeId !== nodeId) {
      throw new KeyFileError('mismatch', `${file}: credentials of node '${credentials.nodeId}', not '${nodeId}'`);
    }
    return { credentials, created: false };
  } catch (error) {
    if (!(error instanceof KeyFileError) || error.problem !== 'missing') throw error;
  }
  const credentials = generateBrokerCredentials(nodeId);
  await writeKeyFile(file, JSON.stringify(credentials, null, 2) + '\n', 0o600, false);
  return { credentials, created: true };
}
