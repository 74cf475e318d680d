import { TOPIC_ROOT } from './topic-tree.js';

/** What a rule grants. */
export type AclAccess = 'read' | 'write' | 'readwrite';

/** One ACL line: `topic <access> <filter>` for a user, or a `pattern` for everyone (`%c` = client id, `%u` = user). */
export interface AclRule {
  readonly access: AclAccess;
  readonly filter: string;
}

/**
 * The roles of the command network, by user name (the same as the example Mosquitto ACL in
 * `hil-configs/mosquitto-acl/acl`, which a test keeps equal to this):
 *
 * - `shieldlink-<node>`: the node — writes its own tree except the command verbs (its decision
 *   ledger's live feed `shared/ledger` included), reads the commands addressed to it and its own
 *   retained topics (to re-assert them);
 * - `operator-*`: write `commands/<verb>` of any node, read everything but `audit` (the ledger
 *   feed included);
 * - `viewer-*`: read everything but `audit`, publish nothing;
 * - `admin-*`: read everything, including `audit`, publish nothing;
 * - everyone authenticated: read MQTT 5 private replies addressed to its own client id.
 *
 * Any other user name gets nothing but the replies pattern.
 */
export function shieldlinkAclRules(nodeId: string, user: string): readonly AclRule[] {
  const v1 = TOPIC_ROOT;
  const own = `${v1}/${nodeId}`;
  // What the node publishes; everyone but the node reads the same topics of every node, less the audit.
  const published = ['status', 'devices/#', 'tracks', 'threats', 'engagements/#', 'metrics', 'shared/ledger'];
  const readAll = [...published, 'commands/#'].map((t): AclRule => ({ access: 'read', filter: `${v1}/+/${t}` }));
  if (user === `shieldlink-${nodeId}`) {
    return [
      ...[...published, 'audit', 'commands/result', 'replies/#'].map((t): AclRule => ({
        access: 'write',
        filter: `${own}/${t}`,
      })),
      { access: 'read', filter: `${own}/commands/#` },
      { access: 'read', filter: `${own}/status` },
      { access: 'read', filter: `${own}/devices/#` },
    ];
  }
  if (user.startsWith('operator-')) return [{ access: 'write', filter: `${v1}/+/commands/+` }, ...readAll];
  if (user.startsWith('viewer-')) return readAll;
  if (user.startsWith('admin-')) return [{ access: 'read', filter: `${v1}/#` }];
  return [];
}

/** Rules every authenticated client has (Mosquitto `pattern` lines), with `%c` for its client id. */
export const ACL_PATTERNS: readonly AclRule[] = [
  { access: 'read', filter: `${TOPIC_ROOT}/+/replies/%c` },
  { access: 'read', filter: `${TOPIC_ROOT}/+/replies/%c/#` },
];

/**
 * Mosquitto's decision for one user: may `clientId` acting as `user` read (`read`) or publish
 * (`write`) `topic`? Allow-list semantics, as Mosquitto: a rule grants when its filter matches the
 * topic (MQTT wildcards `+`, `#`); patterns substitute `%c` and `%u` first, and a substituted
 * value holding `+`, `#` or `/` never matches (Mosquitto refuses such ids in patterns).
 */
export function aclAllows(
  rules: readonly AclRule[],
  patterns: readonly AclRule[],
  user: string,
  clientId: string,
  topic: string,
  want: 'read' | 'write',
): boolean {
  const grants = (rule: AclRule): boolean => rule.access === 'readwrite' || rule.access === want;
  for (const rule of rules) if (grants(rule) && topicMatches(rule.filter, topic)) return true;
  const unsafe = /[+#/]/;
  for (const rule of patterns) {
    if (!grants(rule)) continue;
    if (rule.filter.includes('%c') && unsafe.test(clientId)) continue;
    if (rule.filter.includes('%u') && unsafe.test(user)) continue;
    if (topicMatches(rule.filter.replaceAll('%c', clientId).replaceAll('%u', user), topic)) return true;
  }
  return false;
}

/** MQTT topic filter matching (`+` one level, `#` the rest, including the parent level). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Parse a Mosquitto `acl_file` (`user`, `topic [read|write|readwrite] T`, `pattern ...`;
 * comments and blank lines ignored): rules per user and the patterns. Used to prove the
 * example file and {@link shieldlinkAclRules} agree.
 */
export function parseMosquittoAcl(text: string): { users: Map<string, AclRule[]>; patterns: AclRule[] } {
  const users = new Map<string, AclRule[]>();
  const patterns: AclRule[] = [];
  let current: AclRule[] | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'user') {
      current = [];
      users.set(rest.join(' '), current);
      continue;
    }
    if (word !== 'topic' && word !== 'pattern') throw new Error(`unknown ACL line: ${line}`);
    const access = rest.length > 1 ? rest[0]! : 'readwrite';
    const filter = rest.length > 1 ? rest.slice(1).join(' ') : rest[0]!;
    if (access !== 'read' && access !== 'write' && access !== 'readwrite') throw new Error(`unknown access: ${line}`);
    const rule = { access, filter } as const;
    if (word === 'pattern') patterns.push(rule);
    else if (current === null) throw new Error(`topic before any user (anonymous rules not supported): ${line}`);
    else current.push(rule);
  }
  return { users, patterns };
}
