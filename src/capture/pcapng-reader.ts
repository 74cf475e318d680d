import { CAPTURE_LINKTYPE, type CapturedFrame, CaptureRecordError, decodeCaptureRecord } from './capture-record.js';

/** A file that is not a readable shieldlink pcapng capture; the message is one line. */
export class PcapngError extends Error {
  readonly code = 'pcapng';
  constructor(message: string) {
    super(message);
    this.name = 'PcapngError';
  }
}

/** One packet read back. */
export interface ReadPacket extends CapturedFrame {
  /** Microseconds since the Unix epoch. */
  readonly timestampUs: number;
  /** The interface (link) index in the file. */
  readonly interfaceId: number;
  readonly comment: string | undefined;
}

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const SPB = 0x00000003;
const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

const LINKTYPE_NAMES: Record<number, string> = {
  1: 'LINKTYPE_ETHERNET',
  101: 'LINKTYPE_RAW',
  113: 'LINKTYPE_LINUX_SLL',
  147: 'LINKTYPE_USER0',
  252: 'LINKTYPE_WIRESHARK_UPPER_PDU',
  276: 'LINKTYPE_LINUX_SLL2',
};

function linktypeName(linktype: number): string {
  return `${linktype}${LINKTYPE_NAMES[linktype] === undefined ? '' : ` (${LINKTYPE_NAMES[linktype]})`}`;
}

interface Interface {
  readonly linktype: number;
  /** Timestamp units per second. */
  readonly unitsPerS: number;
}

/**
 * Read every packet of a shieldlink pcapng capture, in file order. Throws PcapngError for a file
 * that is not pcapng (classic pcap included), a block cut short, an interface whose link type
 * is not {@link CAPTURE_LINKTYPE}, or a packet that is not a shieldlink capture record. Bounded:
 * a block above 16 MiB is refused.
 */
export function readPcapng(data: Uint8Array, name = 'capture'): ReadPacket[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length >= 4) {
    const magic = buf.readUInt32LE(0);
    if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1) {
      throw new PcapngError(`${name} is a classic pcap file, not pcapng`);
    }
  }
  if (buf.length < 12 || buf.readUInt32LE(0) !== SHB) throw new PcapngError(`${name} is not a pcapng file`);
  let little = true;
  let interfaces: Interface[] = [];
  const packets: ReadPacket[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (offset + 12 > buf.length) throw new PcapngError(`${name}: block at byte ${offset} is cut short`);
    const type = buf.readUInt32LE(offset);
    if (type === SHB) {
      const magic = buf.readUInt32LE(offset + 8);
      if (magic === 0x1a2b3c4d) little = true;
      else if (magic === 0x4d3c2b1a) little = false;
      else throw new PcapngError(`${name}: bad byte-order magic at byte ${offset}`);
      interfaces = [];
    }
    const u32 = (at: number): number => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    const u16 = (at: number): number => (little ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
    const total = u32(offset + 4);
    if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK_BYTES) {
      throw new PcapngError(`${name}: block at byte ${offset} has a bad length ${total}`);
    }
    if (offset + total > buf.length) throw new PcapngError(`${name}: block at byte ${offset} is cut short`);
    const blockType = u32(offset);
    const body = offset + 8;
    const end = offset + total - 4;
    if (blockType === IDB) {
      const linktype = u16(body);
      let unitsPerS = 1e6;
      forEachOption(buf, body + 8, end, u16, (code, at, length) => {
        if (code === 9 && length >= 1) {
          const resol = buf[at]!;
          unitsPerS = resol & 0x80 ? 2 ** (resol & 0x7f) : 10 ** resol;
        }
      });
      interfaces.push({ linktype, unitsPerS });
    } else if (blockType === EPB || blockType === SPB) {
      const interfaceId = blockType === EPB ? u32(body) : 0;
      const iface = interfaces[interfaceId];
      if (iface === undefined) throw new PcapngError(`${name}: packet on undeclared interface ${interfaceId}`);
      if (iface.linktype !== CAPTURE_LINKTYPE) {
        throw new PcapngError(
          `${name}: interface ${interfaceId} has link type ${linktypeName(iface.linktype)}, not ${linktypeName(CAPTURE_LINKTYPE)}: not a shieldlink capture`,
        );
      }
      const captured = blockType === EPB ? u32(body + 12) : Math.min(u32(body), end - body - 4);
      const dataAt = blockType === EPB ? body + 20 : body + 4;
      if (dataAt + captured > end) throw new PcapngError(`${name}: packet at byte ${offset} runs past its block`);
      let timestampUs = 0;
      let comment: string | undefined;
      if (blockType === EPB) {
        const ticks = u32(body + 4) * 2 ** 32 + u32(body + 8);
        timestampUs = iface.unitsPerS === 1e6 ? ticks : (ticks * 1e6) / iface.unitsPerS;
        forEachOption(buf, dataAt + captured + ((4 - (captured % 4)) % 4), end, u16, (code, at, length) => {
          if (code === 1) comment = buf.toString('utf8', at, at + length);
        });
      }
      let frame: CapturedFrame;
      try {
        frame = decodeCaptureRecord(buf.subarray(dataAt, dataAt + captured));
      } catch (error) {
        if (error instanceof CaptureRecordError) {
          throw new PcapngError(`${name}: packet ${packets.length + 1}: ${error.message}`);
        }
        throw error;
      }
      packets.push({ ...frame, timestampUs, interfaceId, comment });
    }
    offset += total;
  }
  return packets;
}

function forEachOption(
  buf: Buffer,
  from: number,
  end: number,
  u16: (at: number) => number,
  visit: (code: number, at: number, length: number) => void,
): void {
  let at = from;
  while (at + 4 <= end) {
    const code = u16(at);
    const length = u16(at + 2);
    if (code === 0) return;
    if (at + 4 + length > end) return;
    visit(code, at + 4, length);
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
}
