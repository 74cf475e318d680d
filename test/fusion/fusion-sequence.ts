/**
 * A seeded sequence of fusion updates that exercises every path of the intake, the association
 * and the joint ids: two partner nodes in their own frames, tracks that come and go, formations
 * (clusters of several tracks), partner reports late, early and out of sequence, duplicate
 * local ids, superseded partner reports, malformed, stale, future-dated and not positive
 * definite inputs, and shuffled input order.
 */
import { mulberry32 } from '../../src/common/mulberry32.js';
import type { LocalTrack, PartnerTrack, TrackFrame } from '../../src/fusion/index.js';
import { LocalFrame } from '../../src/geo/index.js';

export const SEQUENCE_SITE = { latDeg: 52.1, lonDeg: 4.3, heightM: 10 };
const BRAVO = { latDeg: 52.55, lonDeg: 5.2, heightM: 40 };
const CHARLIE = { latDeg: 51.8, lonDeg: 4.9, heightM: 0 };
const T0 = 1_760_000_000_000_000;

/** One update's inputs. */
export interface SequenceUpdate {
  readonly tUs: number;
  readonly locals: LocalTrack[];
  readonly partners: PartnerTrack[];
}

/** `updates` updates of about `targets` targets, from `seed`. */
export function fusionSequence(seed: number, updates: number, targets: number): SequenceUpdate[] {
  const random = mulberry32(seed);
  const alpha = new LocalFrame(SEQUENCE_SITE);
  const sites = [
    {
      node: 'bravo',
      frame: new LocalFrame(BRAVO),
      wire: { kind: 'enu', siteId: 'bravo', origin: BRAVO } as TrackFrame,
    },
    {
      node: 'charlie',
      frame: new LocalFrame(CHARLIE),
      wire: { kind: 'enu', siteId: 'charlie', origin: CHARLIE } as TrackFrame,
    },
  ];
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const world = Array.from({ length: targets }, (_, k) => {
    const lead = k > 0 && random() < 0.3 ? k - 1 : k; // some fly in formation with the previous one
    return {
      k,
      lead,
      e: (random() - 0.5) * 60_000,
      n: (random() - 0.5) * 60_000,
      ve: (random() - 0.5) * 500,
      vn: (random() - 0.5) * 500,
    };
  });
  for (const g of world)
    if (g.lead !== g.k) {
      const l = world[g.lead]!;
      g.e = l.e + (random() - 0.5) * 2_000;
      g.n = l.n + (random() - 0.5) * 2_000;
      g.ve = l.ve;
      g.vn = l.vn;
    }
  const diag = (sp: number, sv: number): number[] => {
    const c = new Array<number>(36).fill(0);
    for (let i = 0; i < 3; i++) {
      c[i * 7] = sp * sp;
      c[(i + 3) * 7] = sv * sv;
    }
    return c;
  };
  const out: SequenceUpdate[] = [];
  for (let u = 0; u < updates; u++) {
    const tUs = T0 + u * 1_000_000 + Math.round(random() * 1000);
    const locals: LocalTrack[] = [];
    const partners: PartnerTrack[] = [];
    for (const g of world) {
      const at = (lagS: number): number[] => {
        const dt = (tUs - T0) / 1e6 - lagS;
        return [g.e + g.ve * dt, g.n + g.vn * dt, 3_000, g.ve, g.vn, 0];
      };
      if (random() < 0.7) {
        const sp = 20 + random() * 150;
        const sv = 2 + random() * 10;
        const x = at(0).map((v, i) => v + (i < 3 ? sp : sv) * gauss());
        const t: LocalTrack = {
          kind: 'local',
          trackId: `L${g.k}`,
          tovUs: tUs - Math.round(random() * 300_000),
          state: x,
          covariance: diag(sp, sv),
          identity: random() < 0.1 ? 'friend' : 'hostile',
          quality: random(),
          pedigree: { nodeId: 'alpha', sensorId: `R${g.k % 3}`, fused: false },
        };
        locals.push(t);
        if (random() < 0.03) locals.push({ ...t, tovUs: t.tovUs + (random() < 0.5 ? -5 : 5) }); // duplicate id
      }
      for (const site of sites) {
        if (random() > 0.5) continue;
        const sp = 30 + random() * 200;
        const sv = 3 + random() * 15;
        const lagS = random() * 2.5 - 0.4; // late, and now and then a little early
        const truth = at(lagS);
        const p = site.frame.enuFromFrame(alpha, { eastM: truth[0]!, northM: truth[1]!, upM: truth[2]! });
        const v = site.frame.vectorFromFrame(alpha, { eastM: truth[3]!, northM: truth[4]!, upM: truth[5]! });
        const x = [p.eastM, p.northM, p.upM, v.eastM, v.northM, v.upM].map(
          (value, i) => value + (i < 3 ? sp : sv) * gauss(),
        );
        const t: PartnerTrack = {
          kind: 'partner',
          trackId: `${site.node[0]}${g.k}`,
          tovUs: tUs - Math.round(lagS * 1e6),
          frame: site.wire,
          state: x,
          covariance: diag(sp, sv),
          identity: random() < 0.05 ? 'unknown' : 'hostile',
          quality: random(),
          pedigree: { nodeId: site.node, sensorId: 'S1', fused: false },
        };
        partners.push(t);
        if (random() < 0.03) partners.push({ ...t, tovUs: t.tovUs - 200_000 }); // an older report: superseded
      }
    }
    // bad inputs now and then
    const bad = random();
    if (bad < 0.15 && partners.length > 0) partners.push({ ...partners[0]!, trackId: 'X1', tovUs: tUs - 60_000_000 });
    else if (bad < 0.3 && partners.length > 0)
      partners.push({ ...partners[0]!, trackId: 'X2', tovUs: tUs + 9_000_000 });
    else if (bad < 0.45 && locals.length > 0)
      locals.push({
        ...locals[0]!,
        trackId: 'X3',
        covariance: locals[0]!.covariance.map((c, q) => (q === 0 ? -c : c)),
      });
    else if (bad < 0.6) partners.push({ nonsense: true } as unknown as PartnerTrack);
    // shuffled input order
    for (const list of [locals, partners] as unknown[][])
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
    out.push({ tUs, locals, partners });
  }
  return out;
}
