import { FRAME_DELIMITER, MAX_ENCODED_FRAME_BYTES } from '../framing/frame-layout.js';
import type { DirectionFaultSpec, ProxyDirection } from './fault-spec.js';
import { ProxyPrng } from './proxy-prng.js';
import { type ProxyDirectionCounters, type ProxyFaultRecord, emptyDirectionCounters } from './proxy-fault-record.js';

/**
 * The byte-level faults of one direction of the proxy: drop, bit flip, garbage bursts and
 * duplicated frames, drawn from the direction's own seeded stream (`<seed>/<direction>`), each
 * one counted and reported. Pure: it only transforms bytes; delays are the proxy's job (it asks
 * {@link DirectionFaults.delayUs} per chunk). The frame copy kept for `dup` is bounded by the
 * largest encoded frame, so memory stays bounded whatever arrives.
 */
export class DirectionFaults {
  readonly counters: ProxyDirectionCounters = emptyDirectionCounters();
  private readonly prng: ProxyPrng;
  private readonly frame = new Uint8Array(MAX_ENCODED_FRAME_BYTES + 1);
  private frameLength = 0;
  private frameOverflow = false;

  constructor(
    readonly direction: ProxyDirection,
    private readonly spec: DirectionFaultSpec,
    seed: number,
    private readonly report: (record: Omit<ProxyFaultRecord, 'tUs'>) => void,
  ) {
    this.prng = new ProxyPrng(seed, direction);
  }

  /** Whether this direction injects anything at all (else bytes pass untouched, no draws). */
  get active(): boolean {
    const s = this.spec;
    return s.drop > 0 || s.flip > 0 || s.dup > 0 || s.garbage > 0 || s.delayUs > 0;
  }

  /** The bytes to send for `chunk`, faults applied. */
  apply(chunk: Uint8Array): Uint8Array {
    const s = this.spec;
    const c = this.counters;
    if (s.drop === 0 && s.flip === 0 && s.dup === 0 && s.garbage === 0) {
      c.bytesIn += chunk.length;
      c.bytesOut += chunk.length;
      return chunk;
    }
    const out: number[] = [];
    for (const original of chunk) {
      const offset = c.bytesIn++;
      if (this.prng.chance(s.drop)) {
        c.dropped++;
        this.report({ direction: this.direction, fault: 'drop', offset, value: original });
        continue;
      }
      let byte = original;
      if (this.prng.chance(s.flip)) {
        const bit = this.prng.int(0, 7);
        byte ^= 1 << bit;
        c.flipped++;
        this.report({ direction: this.direction, fault: 'flip', offset, value: bit });
      }
      out.push(byte);
      this.keepForDup(byte, out);
      if (this.prng.chance(s.garbage)) {
        const length = this.prng.int(1, s.garbageMaxBytes);
        for (let i = 0; i < length; i++) out.push(this.prng.int(0, 255));
        c.garbageBursts++;
        c.garbageBytes += length;
        this.report({ direction: this.direction, fault: 'garbage', offset, value: length });
      }
    }
    c.bytesOut += out.length;
    return Uint8Array.from(out);
  }

  /** The hold time of the next chunk (mean ± uniform jitter), 0 when no delay is configured. */
  delayUs(offset: number): number {
    const s = this.spec;
    if (s.delayUs === 0) return 0;
    const us = s.jitterUs === 0 ? s.delayUs : s.delayUs - s.jitterUs + this.prng.next() * 2 * s.jitterUs;
    this.counters.delayedChunks++;
    this.report({ direction: this.direction, fault: 'delay', offset, value: Math.round(us) });
    return us;
  }

  private keepForDup(byte: number, out: number[]): void {
    if (this.spec.dup === 0) return;
    if (this.frameLength < this.frame.length) this.frame[this.frameLength++] = byte;
    else this.frameOverflow = true;
    if (byte !== FRAME_DELIMITER) return;
    const length = this.frameLength;
    const whole = !this.frameOverflow && length > 1;
    this.frameLength = 0;
    this.frameOverflow = false;
    if (!whole || !this.prng.chance(this.spec.dup)) return;
    for (let i = 0; i < length; i++) out.push(this.frame[i]!);
    this.counters.duplicatedFrames++;
    this.report({ direction: this.direction, fault: 'dup', offset: this.counters.bytesIn - 1, value: length });
  }
}
