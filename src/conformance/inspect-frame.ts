import {
  FLAG_ACK_REQUESTED,
  MAX_ENCODED_FRAME_BYTES,
  cobsDecode,
  cobsEncode,
  parseFrameBytes,
} from '../framing/index.js';
import { CATALOGUE, MESSAGE_NAME_BY_CODE, type Message, decodeRawFrame } from '../protocol/index.js';

/**
 * Why a block the device sent is not a valid frame, one kind per rule it breaks:
 * `overlong-run` ICD-FRM-002, `cobs` ICD-FRM-001, `body-size` ICD-FRM-004, `crc` ICD-FRM-005,
 * `version` ICD-FRM-003, `reserved-flags` ICD-FRM-007, `unknown-type` / `wrong-direction`
 * ICD-FRM-011, `payload-size` / `field` ICD-FRM-008, `ack-flag` (the ACK-requested flag does not
 * match the type) ICD-FRM-007.
 */
export type FrameFaultKind =
  | 'overlong-run'
  | 'cobs'
  | 'body-size'
  | 'crc'
  | 'version'
  | 'reserved-flags'
  | 'unknown-type'
  | 'wrong-direction'
  | 'payload-size'
  | 'field'
  | 'ack-flag';

/** A rejected block, with the reason in words. */
export interface FrameFault {
  readonly kind: FrameFaultKind;
  readonly detail: string;
}

/** What one block between two delimiters turned out to be. */
export type BlockVerdict =
  | {
      readonly ok: true;
      readonly message: Message;
      /** Whether the block is the canonical COBS encoding of its body (ICD-FRM-001). */
      readonly canonical: boolean;
    }
  | { readonly ok: false; readonly fault: FrameFault };

const SCRATCH = new Uint8Array(MAX_ENCODED_FRAME_BYTES);

/**
 * Judge one block the device sent (without its 0x00), with the checks in the order of the
 * codec but each failure named after the rule it breaks. Never throws.
 */
export function inspectDeviceBlock(block: Uint8Array): BlockVerdict {
  const raw = parseFrameBytes(block, SCRATCH);
  if (!raw.ok) {
    const kind: FrameFaultKind =
      raw.error === 'cobs'
        ? 'cobs'
        : raw.error === 'crc'
          ? 'crc'
          : raw.error === 'version'
            ? 'version'
            : raw.error === 'field'
              ? 'reserved-flags'
              : 'body-size';
    return { ok: false, fault: { kind, detail: raw.detail } };
  }
  const name = MESSAGE_NAME_BY_CODE.get(raw.typeCode);
  if (name === undefined) {
    return {
      ok: false,
      fault: { kind: 'unknown-type', detail: `type code 0x${raw.typeCode.toString(16).padStart(2, '0')}` },
    };
  }
  if (CATALOGUE[name].direction === 'host-to-device') {
    return { ok: false, fault: { kind: 'wrong-direction', detail: `${name} is sent only by the host` } };
  }
  const decoded = decodeRawFrame(raw, { receiving: 'device-to-host' });
  if (!decoded.ok) {
    return {
      ok: false,
      fault: { kind: decoded.error === 'length' ? 'payload-size' : 'field', detail: decoded.detail },
    };
  }
  const wantsAck = (decoded.message.flags & FLAG_ACK_REQUESTED) !== 0;
  if (wantsAck !== CATALOGUE[decoded.message.type].acknowledged) {
    return {
      ok: false,
      fault: {
        kind: 'ack-flag',
        detail: `${decoded.message.type} ${wantsAck ? 'with' : 'without'} the ACK-requested flag`,
      },
    };
  }
  const body = cobsDecode(block);
  const canonical = body !== undefined && sameBytes(cobsEncode(body), block);
  return { ok: true, message: decoded.message, canonical };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
