/**
 * Thrown by `encodeMessage` for a message that cannot be put on the wire: an unknown type, a
 * missing or non-finite field, an enum name not in the catalogue, an integer out of its range,
 * or reserved flag bits. Those are programming errors of the sender, never input.
 */
export class EncodeError extends Error {
  readonly code = 'encode';
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}
