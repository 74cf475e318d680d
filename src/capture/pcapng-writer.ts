import { CAPTURE_LINKTYPE, type CaptureDirection, type CapturedFrame, encodeCaptureRecord } from './capture-record.js';

/** pcapng block types and option codes used here (pcapng draft, IETF opsawg). */
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;

/** epb_flags direction bits: 01 inbound, 10 outbound (seen from the host). */
function directionFlags(direction: CaptureDirection): number {
  return direction === 'device-to-host' ? 0b01 : direction === 'host-to-device' ? 0b10 : 0;
}

function pad4(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** One option: code u16, length u16, value, padded to 4. */
function option(code: number, value: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + value.length + pad4(value.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(value.length, 2);
  out.set(value, 4);
  return out;
}

function textOption(code: number, text: string): Buffer {
  return option(code, Buffer.from(text, 'utf8'));
}

/** A block: type, total length, body, options + opt_endofopt, total length again. */
function block(type: number, body: Buffer, options: Buffer[]): Buffer {
  const opts = options.length === 0 ? [] : [...options, option(OPT_END, new Uint8Array(0))];
  const inner = Buffer.concat([body, ...opts]);
  const total = 12 + inner.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  inner.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** A frame to write, with its time. */
export interface TimedFrame extends CapturedFrame {
  /** Microseconds since the Unix epoch (the run's clock mapped to wall time). */
  readonly timestampUs: number;
  /** Shown by Wireshark as the packet comment, e.g. why the host rejected the frame. */
  readonly comment?: string;
}

/**
 * Builds a pcapng stream of shieldlink capture records (link type {@link CAPTURE_LINKTYPE}):
 * a section header, one interface per link (named after it, microsecond timestamps), and one
 * enhanced packet block per frame with the direction in `epb_flags` as well as in the packet.
 * Every call returns the bytes to append; nothing is buffered, so a capture cut short by a
 * crash is readable up to its last whole block.
 */
export class PcapngWriter {
  private readonly interfaces = new Map<string, number>();

  /** The section header; write it first. */
  header(application = 'shieldlink'): Buffer {
    const body = Buffer.alloc(16);
    body.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
    body.writeUInt16LE(1, 4);
    body.writeUInt16LE(0, 6);
    body.writeBigInt64LE(-1n, 8); // section length not known
    return block(SHB, body, [textOption(SHB_USERAPPL, application)]);
  }

  /** The blocks for one frame: its interface's description the first time a link is seen. */
  frame(frame: TimedFrame): Buffer {
    const parts: Buffer[] = [];
    let id = this.interfaces.get(frame.link);
    if (id === undefined) {
      id = this.interfaces.size;
      this.interfaces.set(frame.link, id);
      parts.push(this.interfaceBlock(frame.link));
    }
    const packet = encodeCaptureRecord(frame);
    const ts = BigInt(Math.max(0, Math.round(frame.timestampUs)));
    const body = Buffer.alloc(20 + packet.length + pad4(packet.length));
    body.writeUInt32LE(id, 0);
    body.writeUInt32LE(Number(ts >> 32n), 4);
    body.writeUInt32LE(Number(ts & 0xffffffffn), 8);
    body.writeUInt32LE(packet.length, 12);
    body.writeUInt32LE(packet.length, 16);
    body.set(packet, 20);
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(directionFlags(frame.direction), 0);
    const options = [option(EPB_FLAGS, flags)];
    if (frame.comment !== undefined) options.push(textOption(OPT_COMMENT, frame.comment));
    parts.push(block(EPB, body, options));
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private interfaceBlock(link: string): Buffer {
    const body = Buffer.alloc(8);
    body.writeUInt16LE(CAPTURE_LINKTYPE, 0);
    body.writeUInt16LE(0, 2);
    body.writeUInt32LE(0, 4); // no snap length
    return block(IDB, body, [
      textOption(IF_NAME, link),
      textOption(IF_DESCRIPTION, `shieldlink serial link ${link}`),
      option(IF_TSRESOL, Uint8Array.of(6)),
    ]);
  }
}

/** A whole capture file in one buffer (tests, `frames encode --pcapng`). */
export function pcapngOf(frames: readonly TimedFrame[]): Buffer {
  const writer = new PcapngWriter();
  return Buffer.concat([writer.header(), ...frames.map((f) => writer.frame(f))]);
}
