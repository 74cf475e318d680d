import { createPrivateKey, type KeyObject } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { BridgeError } from './bridge-error.js';

/**
 * What went wrong with a key file. `missing`: no such file (`loadOrCreate` makes one then);
 * `unreadable`: any other read failure; `open-permissions`: a secret readable by group or
 * others; `not-json`; `wrong-kind`: a key file of another kind (a public key where a private one
 * is needed, an operator key where a node key is); `invalid`: fails the file's schema;
 * `mismatch`: its parts do not belong together (public half, keyId).
 */
export type KeyFileProblem =
  'missing' | 'unreadable' | 'open-permissions' | 'not-json' | 'wrong-kind' | 'invalid' | 'mismatch';

/**
 * A key file (operator key, node key, broker credentials) that cannot be used. A `BridgeError`
 * with code `key-file`; `problem` says which check refused it. The message names the file,
 * never its content.
 */
export class KeyFileError extends BridgeError {
  constructor(
    readonly problem: KeyFileProblem,
    message: string,
  ) {
    super('key-file', message);
  }
}

/** Raw 32-byte Ed25519 key material (public key or private seed), base64url without padding. */
export const base64url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes, base64url');

// DER prefix of a PKCS#8 Ed25519 private key (RFC 8410 §7); the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The Ed25519 private key of a 32-byte seed (RFC 8032). `source` names it in the error. */
export function ed25519PrivateKeyOfSeed(seed: Uint8Array, source: string): KeyObject {
  if (seed.length !== 32) throw new KeyFileError('invalid', `${source}: an Ed25519 seed is 32 bytes`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** A key file's text and POSIX mode bits, as read. */
export interface KeyFileText {
  readonly text: string;
  readonly mode: number;
}

/**
 * Read a key file. `what` names the kind of file in the error (`node key`). Throws
 * {@link KeyFileError} `missing` (ENOENT) or `unreadable`, the message ending `(CODE)`.
 */
export async function readKeyFile(file: string, what: string): Promise<KeyFileText> {
  try {
    const mode = (await stat(file)).mode;
    return { text: await readFile(file, 'utf8'), mode };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KeyFileError(code === 'ENOENT' ? 'missing' : 'unreadable', `cannot read ${what} ${file} (${code})`);
  }
}

/**
 * Refuse a secret readable by group or others, as ssh refuses an open private key
 * (`open-permissions`). Not checked on Windows, whose files carry no POSIX mode. `hint` is how
 * the user can fix it; it follows `chmod 600`.
 */
export function refuseOpenPermissions(file: string, mode: number, what: string, hint = ''): void {
  if (process.platform === 'win32' || (mode & 0o077) === 0) return;
  throw new KeyFileError(
    'open-permissions',
    `${file}: ${what} readable by group or others: permissions ${(mode & 0o777).toString(8)} are too open (chmod 600${hint})`,
  );
}

/** Parse a key file's text as JSON; `not-json` otherwise. `source` names it in the error. */
export function parseKeyJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeyFileError('not-json', `${source}: not JSON`);
  }
}

/** The `kind` member of a parsed key file, or undefined. */
export function keyKindOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
}

/**
 * Refuse a key file whose `kind` is not one of `accepted` (`wrong-kind`): a file of another kind
 * is named as such rather than reported as a schema failure. A file without `kind` passes (its
 * schema decides).
 */
export function refuseWrongKind(raw: unknown, accepted: readonly string[], source: string, what: string): void {
  const kind = keyKindOf(raw);
  if (kind === undefined || (typeof kind === 'string' && accepted.includes(kind))) return;
  throw new KeyFileError('wrong-kind', `${source}: not ${what} (kind ${JSON.stringify(kind).slice(0, 40)})`);
}

/** Check `raw` against `schema`; `invalid` names the first failing member. */
export function parseKeyFile<T extends z.ZodTypeAny>(schema: T, raw: unknown, source: string): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw keyFileSchemaError(source, parsed.error);
  return parsed.data as z.infer<T>;
}

/** The `invalid` error of a failed schema check: the first issue's path and message. */
export function keyFileSchemaError(source: string, error: z.ZodError): KeyFileError {
  const issue = error.issues[0];
  return new KeyFileError('invalid', `${source}: ${issue?.path.join('.') || 'key'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Read, check the mode of, and parse a file holding a secret (mode must be 0600 unless
 * `allowOpenPermissions`). Returns the parsed JSON for the caller's schema. Errors as
 * {@link readKeyFile}, {@link refuseOpenPermissions}, {@link parseKeyJson}.
 */
export async function loadSecretKeyJson(
  file: string,
  what: string,
  options: { allowOpenPermissions?: boolean; hint?: string } = {},
): Promise<unknown> {
  const { text, mode } = await readKeyFile(file, what);
  if (options.allowOpenPermissions !== true) refuseOpenPermissions(file, mode, what, options.hint);
  return parseKeyJson(text, file);
}

/**
 * Write a key file with `mode` (set explicitly, whatever the umask), synced to disk. Refuses an
 * existing file (EEXIST) unless `overwrite`.
 */
export async function writeKeyFile(file: string, text: string, mode: number, overwrite: boolean): Promise<void> {
  const handle = await open(file, overwrite ? 'w' : 'wx', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `x/bench-1.node.key.json` → `x/bench-1.node.pub.json`. */
export function publicKeyFileOf(keyFile: string): string {
  return keyFile.endsWith('.key.json') ? `${keyFile.slice(0, -'.key.json'.length)}.pub.json` : `${keyFile}.pub`;
}
