import { z } from 'zod';
import { idString, nameString, payloadVersion } from './payload-primitives.js';

/**
 * Operator commands, published to `commands/<verb>`. Verb names follow the control core's
 * operator command names; `set-radar-mode`, `arm`, `safe` and `republish` are the bridge's.
 */
export const COMMAND_VERBS = [
  'set-weapons-control',
  'engage-track',
  'hold-fire',
  'cease-fire',
  'abort-engagement',
  'set-radar-mode',
  'arm',
  'safe',
  'republish',
] as const;
export type CommandVerb = (typeof COMMAND_VERBS)[number];

export const WEAPONS_CONTROL_STATUSES = ['hold', 'tight', 'free'] as const;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Ed25519: 86 base64url characters; legacy HMAC-SHA256: 64 lower-case hex digits. */
export const SIGNATURE_PATTERN = /^(?:[A-Za-z0-9_-]{86}|[0-9a-f]{64})$/;

/** The fields every command carries besides `verb`, `args` and `signature`. */
const envelope = {
  v: payloadVersion,
  id: idString.describe('Request id chosen by the operator; echoed in every result; unique per command.'),
  node: idString.describe('Node the command is meant for (must equal the topic node).'),
  keyId: idString.describe('Operator key id; the key belongs to exactly one operator.'),
  timestamp: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .describe('Wall time of signing, milliseconds since the Unix epoch.'),
  nonce: z.string().regex(NONCE_PATTERN).describe('16-64 chars [A-Za-z0-9_-], random per signature.'),
};

const signature = z
  .string()
  .regex(SIGNATURE_PATTERN)
  .describe(
    'Ed25519 signature of the canonical bytes, base64url (86 chars); legacy HMAC keys: HMAC-SHA256, lower-case hex (docs/mqtt.md §Signing).',
  );

/** Arguments per verb; every object is strict (unknown members are rejected, not ignored). */
export const commandArgs = {
  'set-weapons-control': z.strictObject({ status: z.enum(WEAPONS_CONTROL_STATUSES) }),
  'engage-track': z.strictObject({ trackId: idString, launcherId: idString.optional() }),
  'hold-fire': z.strictObject({ trackId: idString }),
  'cease-fire': z.strictObject({ trackId: idString }),
  'abort-engagement': z.strictObject({ engagementId: idString }),
  'set-radar-mode': z.strictObject({ radarId: idString, mode: nameString }),
  arm: z.strictObject({ launcherId: idString }),
  safe: z.strictObject({ launcherId: idString }),
  republish: z.strictObject({}),
} as const satisfies Record<CommandVerb, z.ZodType>;

function variant<V extends CommandVerb>(verb: V) {
  return z.strictObject({ ...envelope, verb: z.literal(verb), args: commandArgs[verb], signature });
}
function unsignedVariant<V extends CommandVerb>(verb: V) {
  return z.strictObject({ ...envelope, verb: z.literal(verb), args: commandArgs[verb] });
}

/** A signed command as published by an operator client. */
export const commandRequest = z
  .discriminatedUnion('verb', [
    variant('set-weapons-control'),
    variant('engage-track'),
    variant('hold-fire'),
    variant('cease-fire'),
    variant('abort-engagement'),
    variant('set-radar-mode'),
    variant('arm'),
    variant('safe'),
    variant('republish'),
  ])
  .meta({ id: 'CommandRequest', title: 'shieldlink/v1/<node>/commands/<verb>' });

/** The same without `signature`: what the canonical bytes are computed over. */
export const unsignedCommandRequest = z.discriminatedUnion('verb', [
  unsignedVariant('set-weapons-control'),
  unsignedVariant('engage-track'),
  unsignedVariant('hold-fire'),
  unsignedVariant('cease-fire'),
  unsignedVariant('abort-engagement'),
  unsignedVariant('set-radar-mode'),
  unsignedVariant('arm'),
  unsignedVariant('safe'),
  unsignedVariant('republish'),
]);

export type CommandRequest = z.infer<typeof commandRequest>;
export type UnsignedCommandRequest = z.infer<typeof unsignedCommandRequest>;
export type CommandArgs<V extends CommandVerb> = z.infer<(typeof commandArgs)[V]>;

/** `{ verb, args }` pairs, the part of a command the executor acts on. */
export type CommandAction = { [V in CommandVerb]: { readonly verb: V; readonly args: CommandArgs<V> } }[CommandVerb];

export function isCommandVerb(value: string): value is CommandVerb {
  return (COMMAND_VERBS as readonly string[]).includes(value);
}
