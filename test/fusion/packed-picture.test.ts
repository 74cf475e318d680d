/**
 * The packed joint picture and the structures it replaced: the fuser's output on a seeded
 * sequence of updates (every intake, association and id path) hashes to what the fuser gave
 * before the packed picture, the persistent intake maps and the key-free joint ids (recorded
 * with that code); the packed picture reads back to the same tracks as `fuse`; the joint id
 * table gives the ids of the string-keyed table it replaced on random update sequences; the
 * unrolled frame rotation is bit for bit the general loops it replaced.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import {
  FrameConverter,
  type JointGroups,
  JointIdTable,
  SOURCE_FUSED,
  SOURCE_LOCAL,
  TrackFuser,
} from '../../src/fusion/index.js';
import { LocalFrame } from '../../src/geo/index.js';
import { SEQUENCE_SITE, fusionSequence } from './fusion-sequence.js';
import { StringJointIdTable } from './reference/string-joint-ids.js';

t.test('the fuser gives, update for update, what it gave before the packed picture', async (t) => {
  // sha-256 of JSON.stringify of every `fuse` result, recorded with the fuser before the change
  const before: Record<number, [number, number, string]> = {
    1: [40, 60, '381a92022c58b99d5539fb350b28ba7c6d974854c167e4ed1071a9a38a74de65'],
    2: [25, 200, 'b1895988ec4868119e347354b086a7090f1e5ca802cdbdf25a2d06baf6295135'],
  };
  for (const [seed, [updates, targets, hash]] of Object.entries(before)) {
    const f = new TrackFuser({ site: SEQUENCE_SITE, ownNodeId: 'alpha' });
    const h = createHash('sha256');
    let fused = 0;
    let rejected = 0;
    for (const u of fusionSequence(Number(seed), updates, targets)) {
      const out = f.fuse(u.tUs, u.locals, u.partners);
      fused += out.stats.fusedPairs;
      rejected += out.rejected.length;
      h.update(JSON.stringify(out));
    }
    t.ok(fused > 100 && rejected > 50, `seed ${seed}: ${fused} fused pairs, ${rejected} rejections`);
    t.equal(h.digest('hex'), hash, `seed ${seed}: the same output as before`);
  }
});

t.test('the packed picture reads back to the tracks of fuse, element for element', async (t) => {
  const packed = new TrackFuser({ site: SEQUENCE_SITE, ownNodeId: 'alpha' });
  const plain = new TrackFuser({ site: SEQUENCE_SITE, ownNodeId: 'alpha' });
  let checked = 0;
  let generation = 0;
  for (const u of fusionSequence(7, 20, 80)) {
    const a = packed.update(u.tUs, u.locals, u.partners);
    const b = plain.fuse(u.tUs, u.locals, u.partners);
    const p = a.picture;
    t.equal(p.generation, ++generation);
    t.same(a.rejected, b.rejected);
    t.same(a.stats, b.stats);
    t.equal(p.count, b.tracks.length);
    for (let k = 0; k < p.count; k++) {
      const want = b.tracks[k]!;
      const got = p.track(k);
      let same = JSON.stringify(got) === JSON.stringify(want) && p.jointId[k] === want.jointId;
      for (let q = 0; q < 36; q++) same &&= Object.is(p.cov[k * 36 + q], want.covariance[q]);
      for (let q = 0; q < 6; q++) same &&= Object.is(p.state[k * 6 + q], want.state[q]);
      same &&= p.sourceOf(k) === want.source && (p.source[k] === SOURCE_FUSED) === (want.source === 'fused');
      same &&= (p.source[k] === SOURCE_LOCAL) === (want.source === 'local');
      if (!same) t.fail(`update ${generation}, track ${k} differs`);
      checked++;
    }
  }
  t.ok(checked > 1000, `${checked} tracks compared`);
});

/** Random update sequences of member groups: ids that persist, vanish, merge and split. */
const groupSequences = fc.array(
  fc.array(
    fc.record({
      local: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
      partners: fc.uniqueArray(
        fc.record({ node: fc.constantFrom('b', 'c', 'b.2'), id: fc.integer({ min: 0, max: 12 }) }),
        {
          maxLength: 3,
          selector: (m) => m.node,
        },
      ),
    }),
    { maxLength: 14 },
  ),
  { minLength: 1, maxLength: 12 },
);

t.test('joint ids equal those of the string-keyed table they replaced', async (t) => {
  fc.assert(
    fc.property(groupSequences, (updates) => {
      const table = new JointIdTable();
      const reference = new StringJointIdTable();
      for (const raw of updates) {
        // members unique per update, as the fusion gives them; groups with no member dropped
        const usedL = new Set<number>();
        const usedP = new Set<string>();
        const groups = raw
          .map((g) => ({
            local: g.local !== undefined && !usedL.has(g.local) && usedL.add(g.local) ? g.local : undefined,
            partners: g.partners.filter((m) => !usedP.has(`${m.node}/${m.id}`) && usedP.add(`${m.node}/${m.id}`)),
          }))
          .filter((g) => g.local !== undefined || g.partners.length > 0);
        const locals = groups.flatMap((g) => (g.local === undefined ? [] : [{ trackId: `T${g.local}` }]));
        const partners = groups.flatMap((g) =>
          g.partners.map((m) => ({ trackId: `T${m.id}`, pedigree: { nodeId: m.node } })),
        );
        const localOf = new Int32Array(groups.length);
        const partnerStart = new Int32Array(groups.length + 1);
        const partnerIdx = new Int32Array(partners.length);
        let l = 0;
        let q = 0;
        groups.forEach((g, k) => {
          localOf[k] = g.local === undefined ? -1 : l++;
          for (const _ of g.partners) partnerIdx[q] = q++;
          partnerStart[k + 1] = q;
        });
        const packed: JointGroups = { count: groups.length, localOf, partnerStart, partnerIdx, locals, partners };
        const ids = new Float64Array(groups.length);
        table.assign(packed, ids);
        const want = reference.assign(
          groups.map((g) => [
            ...(g.local === undefined ? [] : [`L|T${g.local}`]),
            ...g.partners.map((m) => `P|${m.node}|T${m.id}`),
          ]),
          groups.map((g) => g.local !== undefined),
        );
        if (!want.every((id, k) => ids[k] === id)) return false;
        if (table.size !== reference.size) return false;
        for (const g of groups) {
          if (g.local !== undefined && table.localIdOf(`T${g.local}`) !== reference.idOf(`L|T${g.local}`)) return false;
          for (const m of g.partners)
            if (table.partnerIdOf(m.node, `T${m.id}`) !== reference.idOf(`P|${m.node}|T${m.id}`)) return false;
        }
      }
      return true;
    }),
    { seed: 4801, numRuns: 600 },
  );
  t.pass();
});

/** The frame conversion as the general loops wrote it before it was unrolled. */
function convertByLoops(
  r: Float64Array,
  tr: Float64Array,
  state: number[],
  cov: number[],
): { s: number[]; c: number[] } {
  const s = new Array<number>(6).fill(0);
  const c = new Array<number>(36).fill(0);
  for (let i = 0; i < 3; i++) {
    s[i] = tr[i]! + r[i * 3]! * state[0]! + r[i * 3 + 1]! * state[1]! + r[i * 3 + 2]! * state[2]!;
    s[3 + i] = r[i * 3]! * state[3]! + r[i * 3 + 1]! * state[4]! + r[i * 3 + 2]! * state[5]!;
  }
  const tmp = new Array<number>(36).fill(0);
  for (let i = 0; i < 6; i++) {
    const bi = i < 3 ? 0 : 3;
    const ri = (i - bi) * 3;
    for (let j = 0; j < 6; j++)
      tmp[i * 6 + j] =
        r[ri]! * cov[bi * 6 + j]! + r[ri + 1]! * cov[(bi + 1) * 6 + j]! + r[ri + 2]! * cov[(bi + 2) * 6 + j]!;
  }
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++) {
      const bj = j < 3 ? 0 : 3;
      const rj = (j - bj) * 3;
      c[i * 6 + j] = tmp[i * 6 + bj]! * r[rj]! + tmp[i * 6 + bj + 1]! * r[rj + 1]! + tmp[i * 6 + bj + 2]! * r[rj + 2]!;
    }
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (c[i * 6 + j]! + c[j * 6 + i]!);
      c[i * 6 + j] = m;
      c[j * 6 + i] = m;
    }
  return { s, c };
}

t.test('the unrolled frame rotation is bit for bit the general loops', async (t) => {
  const own = new LocalFrame(SEQUENCE_SITE);
  const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  fc.assert(
    fc.property(
      fc.record({
        lat: fc.double({ min: -80, max: 80, noNaN: true }),
        lon: fc.double({ min: -179, max: 179, noNaN: true }),
        h: fc.double({ min: -100, max: 9000, noNaN: true }),
        state: fc.array(value, { minLength: 6, maxLength: 6 }),
        cov: fc.array(value, { minLength: 36, maxLength: 36 }),
        offset: fc.integer({ min: 0, max: 3 }),
      }),
      ({ lat, lon, h, state, cov, offset }) => {
        const frame = { kind: 'enu', siteId: 'x', origin: { latDeg: lat, lonDeg: lon, heightM: h } } as const;
        // the converter's rotation and translation, read back from unit inputs
        const probe = new FrameConverter(own);
        const unit = new Float64Array(6);
        const zero36 = new Array<number>(36).fill(0);
        probe.convert(frame, [0, 0, 0, 0, 0, 0], zero36, unit, 0, new Float64Array(36), 0);
        const tr = unit.slice(0, 3);
        const r = new Float64Array(9);
        for (let j = 0; j < 3; j++) {
          const v = [0, 0, 0, 0, 0, 0];
          v[3 + j] = 1;
          probe.convert(frame, v, zero36, unit, 0, new Float64Array(36), 0);
          for (let i = 0; i < 3; i++) r[i * 3 + j] = unit[3 + i]!;
        }
        const want = convertByLoops(r, tr, state, cov);
        const s = new Float64Array(6 * 4);
        const c = new Float64Array(36 * 4);
        probe.convert(frame, state, cov, s, offset * 6, c, offset * 36);
        const s2 = new Float64Array(6 * 4);
        const c2 = new Float64Array(36 * 4);
        s2.set(state, offset * 6);
        c2.set(cov, offset * 36);
        probe.convertInPlace(frame, s2, offset * 6, c2, offset * 36);
        for (let q = 0; q < 6; q++)
          if (!Object.is(s[offset * 6 + q], want.s[q]) || !Object.is(s2[offset * 6 + q], want.s[q])) return false;
        for (let q = 0; q < 36; q++)
          if (!Object.is(c[offset * 36 + q], want.c[q]) || !Object.is(c2[offset * 36 + q], want.c[q])) return false;
        return true;
      },
    ),
    { seed: 4802, numRuns: 400 },
  );
  t.pass();
});
