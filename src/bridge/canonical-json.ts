import { CanonicalJsonError, canonicalJson as canonicalJsonText } from '../common/canonical-json.js';
import { BridgeError } from './bridge-error.js';

/**
 * Canonical JSON (docs/mqtt.md §Signing), the byte form that command signatures cover: the
 * shared form of `src/common/canonical-json.ts` with safe integers only (|n| <= 2^53 - 1, in
 * plain decimal, `-0` written `0`), members sorted by key in UTF-16 code-unit order, no
 * whitespace. Anything else (fractions, NaN, bigint, functions, symbols) throws BridgeError
 * `canonical-json`.
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonicalJsonText(value, 'safe-integers');
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new BridgeError('canonical-json', error.message);
    throw error;
  }
}

/** The bytes a command signature covers: canonical JSON of the command without `signature`, UTF-8. */
export function commandSigningBytes(command: Readonly<Record<string, unknown>>): Buffer {
  const { signature: _signature, ...rest } = command;
  return Buffer.from(canonicalJson(rest), 'utf8');
}
