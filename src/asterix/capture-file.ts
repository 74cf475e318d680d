/**
 * UDP payloads out of packet captures: classic pcap (either byte order, µs or ns) and pcapng
 * (section header, interface description, enhanced and simple packet blocks), link types
 * Ethernet (with 802.1Q tags), raw IP, Linux cooked (SLL, SLL2) and BSD loopback; IPv4 and IPv6.
 * A file that is neither is a raw ASTERIX block file. Packets that are not UDP, or are IP
 * fragments after the first, are counted and skipped.
 */

/** One UDP datagram of a capture. */
export interface CapturedDatagram {
  /** 1-based packet number in the file (as Wireshark counts). */
  readonly frame: number;
  /** Capture time in seconds since the epoch (0 for raw block files). */
  readonly timeS: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/** What a capture held. */
export interface CaptureContents {
  readonly format: 'pcap' | 'pcapng' | 'raw';
  readonly datagrams: CapturedDatagram[];
  /** packets skipped: not UDP over IP, fragments, unknown link types */
  readonly skippedPackets: number;
}

/** A capture file that cannot be read; `message` says where. */
export class CaptureFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureFileError';
  }
}

const LINK_ETHERNET = 1;
const LINK_NULL = 0;
const LINK_RAW = 101;
const LINK_IPV4 = 228;
const LINK_IPV6 = 229;
const LINK_SLL = 113;
const LINK_SLL2 = 276;

/** Read a capture (or raw block file) already in memory. Throws CaptureFileError when cut short. */
export function readCapture(bytes: Uint8Array): CaptureContents {
  if (bytes.length >= 4) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magicBe = view.getUint32(0, false);
    if (magicBe === 0x0a0d0d0a) return readPcapng(bytes, view);
    const magicLe = view.getUint32(0, true);
    if ([0xa1b2c3d4, 0xa1b23c4d].includes(magicLe)) return readPcap(bytes, view, true, magicLe === 0xa1b23c4d);
    if ([0xa1b2c3d4, 0xa1b23c4d].includes(magicBe)) return readPcap(bytes, view, false, magicBe === 0xa1b23c4d);
  }
  return { format: 'raw', datagrams: [{ frame: 1, timeS: 0, dstPort: 0, payload: bytes }], skippedPackets: 0 };
}

function readPcap(bytes: Uint8Array, view: DataView, le: boolean, nanos: boolean): CaptureContents {
  if (bytes.length < 24) throw new CaptureFileError('pcap global header cut short');
  const linkType = view.getUint32(20, le) & 0x0fffffff;
  const datagrams: CapturedDatagram[] = [];
  let skipped = 0;
  let offset = 24;
  let frame = 0;
  while (offset < bytes.length) {
    if (offset + 16 > bytes.length) throw new CaptureFileError(`pcap record header cut short at offset ${offset}`);
    const seconds = view.getUint32(offset, le);
    const fraction = view.getUint32(offset + 4, le);
    const captured = view.getUint32(offset + 8, le);
    if (offset + 16 + captured > bytes.length)
      throw new CaptureFileError(`pcap packet ${frame + 1} cut short at offset ${offset}`);
    frame++;
    const timeS = seconds + fraction / (nanos ? 1e9 : 1e6);
    const udp = udpOf(bytes.subarray(offset + 16, offset + 16 + captured), linkType);
    if (udp) datagrams.push({ frame, timeS, ...udp });
    else skipped++;
    offset += 16 + captured;
  }
  return { format: 'pcap', datagrams, skippedPackets: skipped };
}

function readPcapng(bytes: Uint8Array, view: DataView): CaptureContents {
  const datagrams: CapturedDatagram[] = [];
  const linkTypes: number[] = [];
  const tsResolution: number[] = [];
  let skipped = 0;
  let le = true;
  let offset = 0;
  let frame = 0;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new CaptureFileError(`pcapng block header cut short at offset ${offset}`);
    const typeBe = view.getUint32(offset, false);
    if (typeBe === 0x0a0d0d0a) {
      const order = view.getUint32(offset + 8, true);
      if (order === 0x1a2b3c4d) le = true;
      else if (order === 0x4d3c2b1a) le = false;
      else throw new CaptureFileError(`pcapng section header with a bad byte-order magic at offset ${offset}`);
      linkTypes.length = 0;
      tsResolution.length = 0;
    }
    const type = view.getUint32(offset, le);
    const length = view.getUint32(offset + 4, le);
    if (length < 12 || length % 4 !== 0 || offset + length > bytes.length) {
      throw new CaptureFileError(`pcapng block of length ${length} at offset ${offset} is malformed or cut short`);
    }
    const body = offset + 8;
    if (type === 1) {
      linkTypes.push(view.getUint16(body, le));
      tsResolution.push(interfaceResolution(bytes, view, body + 8, offset + length - 4, le));
    } else if (type === 6 || type === 3) {
      frame++;
      const iface = type === 6 ? view.getUint32(body, le) : 0;
      const linkType = linkTypes[iface];
      const captured = type === 6 ? view.getUint32(body + 12, le) : Math.min(view.getUint32(body, le), length - 16);
      const dataStart = type === 6 ? body + 20 : body + 4;
      if (dataStart + captured > offset + length)
        throw new CaptureFileError(`pcapng packet ${frame} overruns its block`);
      let timeS = 0;
      if (type === 6) {
        const ticks = view.getUint32(body + 4, le) * 2 ** 32 + view.getUint32(body + 8, le);
        timeS = ticks / (tsResolution[iface] ?? 1e6);
      }
      const udp = linkType === undefined ? undefined : udpOf(bytes.subarray(dataStart, dataStart + captured), linkType);
      if (udp) datagrams.push({ frame, timeS, ...udp });
      else skipped++;
    }
    offset += length;
  }
  return { format: 'pcapng', datagrams, skippedPackets: skipped };
}

/** if_tsresol option (code 9) of an interface description block; default 10^-6 s. */
function interfaceResolution(bytes: Uint8Array, view: DataView, start: number, end: number, le: boolean): number {
  let offset = start;
  while (offset + 4 <= end) {
    const code = view.getUint16(offset, le);
    const length = view.getUint16(offset + 2, le);
    if (code === 0) break;
    if (code === 9 && length >= 1) {
      const raw = bytes[offset + 4]!;
      return raw & 0x80 ? 2 ** (raw & 0x7f) : 10 ** raw;
    }
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  return 1e6;
}

function udpOf(packet: Uint8Array, linkType: number): { dstPort: number; payload: Uint8Array } | undefined {
  let offset: number;
  let etherType: number;
  switch (linkType) {
    case LINK_ETHERNET: {
      offset = 12;
      if (packet.length < 14) return undefined;
      etherType = (packet[12]! << 8) | packet[13]!;
      offset = 14;
      while ((etherType === 0x8100 || etherType === 0x88a8) && packet.length >= offset + 4) {
        etherType = (packet[offset + 2]! << 8) | packet[offset + 3]!;
        offset += 4;
      }
      break;
    }
    case LINK_RAW:
    case LINK_IPV4:
    case LINK_IPV6:
      offset = 0;
      etherType = packet.length > 0 && packet[0]! >> 4 === 6 ? 0x86dd : 0x0800;
      break;
    case LINK_SLL:
      if (packet.length < 16) return undefined;
      etherType = (packet[14]! << 8) | packet[15]!;
      offset = 16;
      break;
    case LINK_SLL2:
      if (packet.length < 20) return undefined;
      etherType = (packet[0]! << 8) | packet[1]!;
      offset = 20;
      break;
    case LINK_NULL:
      if (packet.length < 4) return undefined;
      offset = 4;
      etherType = packet[offset]! >> 4 === 6 ? 0x86dd : 0x0800;
      break;
    default:
      return undefined;
  }
  let udp: number;
  if (etherType === 0x0800) {
    if (packet.length < offset + 20) return undefined;
    const headerBytes = (packet[offset]! & 0x0f) * 4;
    const fragment = ((packet[offset + 6]! & 0x1f) << 8) | packet[offset + 7]!;
    if (packet[offset + 9] !== 17 || fragment !== 0 || (packet[offset + 6]! & 0x20) !== 0) return undefined;
    udp = offset + headerBytes;
  } else if (etherType === 0x86dd) {
    if (packet.length < offset + 40 || packet[offset + 6] !== 17) return undefined;
    udp = offset + 40;
  } else {
    return undefined;
  }
  if (packet.length < udp + 8) return undefined;
  const dstPort = (packet[udp + 2]! << 8) | packet[udp + 3]!;
  const udpLength = (packet[udp + 4]! << 8) | packet[udp + 5]!;
  const payloadEnd = Math.min(packet.length, udp + Math.max(8, udpLength));
  return { dstPort, payload: packet.subarray(udp + 8, payloadEnd) };
}

/**
 * A classic pcap (µs, Ethernet) of UDP datagrams from 127.0.0.1:srcPort to dst:dstPort, for
 * captures of shieldlink's own output that tshark then judges. IPv4 header checksums are
 * computed; UDP checksums are 0 (none), which IPv4 allows.
 */
export function writePcap(
  packets: readonly { timeUs: number; dstPort: number; payload: Uint8Array }[],
  srcPort = 40000,
): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(24);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 65535, true);
  hv.setUint32(20, LINK_ETHERNET, true);
  parts.push(header);
  for (const packet of packets) {
    const frameBytes = 14 + 20 + 8 + packet.payload.length;
    const record = new Uint8Array(16 + frameBytes);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, Math.floor(packet.timeUs / 1e6), true);
    rv.setUint32(4, Math.round(packet.timeUs % 1e6), true);
    rv.setUint32(8, frameBytes, true);
    rv.setUint32(12, frameBytes, true);
    const eth = 16;
    record.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], eth);
    rv.setUint16(eth + 12, 0x0800);
    const ip = eth + 14;
    rv.setUint8(ip, 0x45);
    rv.setUint16(ip + 2, 20 + 8 + packet.payload.length);
    rv.setUint8(ip + 8, 64);
    rv.setUint8(ip + 9, 17);
    record.set([127, 0, 0, 1, 127, 0, 0, 1], ip + 12);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += rv.getUint16(ip + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    rv.setUint16(ip + 10, ~sum & 0xffff);
    const udp = ip + 20;
    rv.setUint16(udp, srcPort);
    rv.setUint16(udp + 2, packet.dstPort);
    rv.setUint16(udp + 4, 8 + packet.payload.length);
    record.set(packet.payload, udp + 8);
    parts.push(record);
  }
  const total = parts.reduce((n, part) => n + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
