import fc from 'fast-check';
import t from 'tap';
import {
  type LiveClaim,
  type Ownership,
  compareClaims,
  decideOwners,
  memberKey,
} from '../../src/coordination/index.js';
import type { CoordinationAgent } from '../../src/coordination/index.js';
import { engagement, makeAgent, SimLink } from './support.js';

/**
 * Deconfliction is computed by every node from the shared claims alone: for random claims, plan
 * timings and message delays (reordering included), every node reaches the same owner for every
 * threat once it holds the same claims, and no threat has two owners.
 */

const NODES = ['A', 'B', 'C'] as const;
const THREATS = 4;
const TICK_MS = 100;

interface _Plan {
  readonly threat: number;
  readonly planAtMs: number;
  /** Intercept after planning, ms (coarse, so ties happen and the node id decides). */
  readonly interceptAfterMs: number;
  /** What happens next: nothing, FIRE, FIRE then a result, or a drop before FIRE. */
  readonly then: 'none' | 'fire' | 'kill' | 'miss' | 'drop';
}

const planArb = fc.record({
  threat: fc.integer({ min: 0, max: THREATS - 1 }),
  planAtMs: fc.integer({ min: 0, max: 80 }).map((x) => x * TICK_MS),
  interceptAfterMs: fc.integer({ min: 10, max: 14 }).map((x) => x * 1000),
  then: fc.constantFrom('none', 'fire', 'kill', 'miss', 'drop'),
});

/** Per node: which partner tracks its fusion associated with each threat (coverage differs by node). */
const fusionArb = fc.array(fc.array(fc.boolean(), { minLength: NODES.length, maxLength: NODES.length }), {
  minLength: THREATS,
  maxLength: THREATS,
});

const scenarioArb = fc.record({
  plans: fc.tuple(
    fc.array(planArb, { maxLength: 5 }),
    fc.array(planArb, { maxLength: 5 }),
    fc.array(planArb, { maxLength: 5 }),
  ),
  fusion: fc.tuple(fusionArb, fusionArb, fusionArb),
  delays: fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 16, maxLength: 64 }),
  clockOffsetMs: fc.tuple(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 })),
});

/** What a node concluded: per threat (its member keys, sorted) the owner `node:claimId`. */
function verdict(owners: readonly Ownership[]): string[] {
  return owners.map((o) => `${[...o.memberKeys].sort().join(',')}=>${o.owner.node}:${o.owner.claimId}`).sort();
}

function checkOneOwner(owners: readonly Ownership[]): void {
  const seen = new Set<string>();
  for (const o of owners) {
    for (const k of o.memberKeys) {
      if (seen.has(k)) throw new Error(`member ${k} in two threats`);
      seen.add(k);
    }
    for (const c of o.claims) if (compareClaims(c, o.owner) < 0) throw new Error('owner is not the best claim');
  }
}

t.test('every node reaches the same owners once it has the same claims', async (t) => {
  let contested = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (s) => {
      const agents = new Map<string, CoordinationAgent>();
      NODES.forEach((self, i) => {
        const agent = makeAgent(
          self,
          NODES.filter((n) => n !== self),
          { staleAfterMs: 60_000, claimGraceMs: 600_000, snapshotEveryMs: 3000 },
        );
        agent.setThreats(
          Array.from({ length: THREATS }, (_, k) => ({
            trackId: k,
            members: [
              { node: self, trackId: String(k) },
              ...NODES.filter((n, j) => n !== self && s.fusion[i]![k]![j]).map((n) => ({
                node: n,
                trackId: String(k),
              })),
            ],
            mustFireByMs: null,
          })),
        );
        agents.set(self, agent);
      });
      const link = new SimLink(NODES, (_f, _t, n) => s.delays[n % s.delays.length]!);
      const T0 = 1_765_000_000_000;
      const offsetOf = (i: number): number => (i === 0 ? 0 : s.clockOffsetMs[i - 1]!);
      for (let nowMs = 0; nowMs <= 20_000; nowMs += TICK_MS) {
        NODES.forEach((self, i) => {
          const agent = agents.get(self)!;
          const utc = T0 + nowMs;
          const hostUs = (nowMs + offsetOf(i)) * 1000; // each node's host clock differs
          for (const m of link.due(self, nowMs)) agent.receive(m.topic, m.payload, utc);
          const events = s.plans[i]!.flatMap((p, e) => {
            const id = e + 1;
            const at = p.planAtMs;
            const base = {
              engagementId: id,
              trackId: p.threat,
              atUs: hostUs,
              launchAtHostUs: (at + 2000 + offsetOf(i)) * 1000,
              interceptAtHostUs: (at + p.interceptAfterMs + offsetOf(i)) * 1000,
            };
            if (nowMs === at) return [engagement('planned', base)];
            if (nowMs === at + 2000 && p.then !== 'none' && p.then !== 'drop') return [engagement('fire-sent', base)];
            if (nowMs === at + 1000 && p.then === 'drop') return [engagement('aborted', base)];
            if (nowMs === at + 4000 && (p.then === 'kill' || p.then === 'miss'))
              return [engagement('intercept-assessed', { ...base, fired: true, result: p.then })];
            return [];
          });
          agent.observe([], events, hostUs, utc);
          const out = agent.tick(hostUs, utc);
          link.send(self, nowMs, out.messages);
          checkOneOwner(agent.owners(utc));
        });
      }
      // Quiet: no more intents; let everything in flight arrive and be applied.
      for (let nowMs = 20_100; nowMs <= 26_000; nowMs += TICK_MS) {
        NODES.forEach((self, i) => {
          const agent = agents.get(self)!;
          const utc = T0 + nowMs;
          for (const m of link.due(self, nowMs)) agent.receive(m.topic, m.payload, utc);
          link.send(self, nowMs, agent.tick((nowMs + offsetOf(i)) * 1000, utc).messages);
        });
      }
      const end = T0 + 26_000;
      const views = NODES.map((n) => verdict(agents.get(n)!.owners(end)));
      if (
        agents
          .get('A')!
          .owners(end)
          .some((o) => new Set(o.claims.map((c) => c.node)).size > 1)
      )
        contested++;
      if (
        JSON.stringify(views[0]) !== JSON.stringify(views[1]) ||
        JSON.stringify(views[0]) !== JSON.stringify(views[2])
      )
        throw new Error(`nodes disagree:\n${views.map((v) => v.join(' ')).join('\n')}`);
      for (const n of NODES) {
        const intake = agents.get(n)!.intake.counters();
        for (const [id, c] of Object.entries(intake)) {
          if (Object.keys(c.dropped).length > 0) throw new Error(`${n} dropped from ${id}: ${JSON.stringify(c)}`);
          if (c.gapsSkipped > 0) throw new Error(`${n} skipped a gap from ${id}`);
        }
      }
    }),
    { numRuns: 40, seed: 18_0024 },
  );
  t.ok(contested >= 5, `${contested} of 40 scenarios end with a threat claimed by several nodes`);
});

t.test('the rule is a function of the set of claims: any order, same threats and owners', async (t) => {
  const member = fc.record({ node: fc.constantFrom('A', 'B', 'C'), trackId: fc.constantFrom('1', '2', '3', '4') });
  const claim = fc.record({
    node: fc.constantFrom('A', 'B', 'C'),
    claimId: fc.constantFrom('e1', 'e2', 'e3'),
    members: fc.array(member, { minLength: 1, maxLength: 3 }),
    interceptAtMs: fc.integer({ min: 0, max: 4 }).map((x) => x * 1000),
    committed: fc.boolean(),
    expiresAtMs: fc.constant(1e13),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(claim, { selector: (c) => `${c.node}:${c.claimId}`, maxLength: 9 }),
      fc.infiniteStream(fc.nat()),
      (claims: LiveClaim[], rnd) => {
        const shuffled = [...claims];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rnd.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = verdict(decideOwners(claims));
        const b = verdict(decideOwners(shuffled));
        if (JSON.stringify(a) !== JSON.stringify(b)) return false;
        const owners = decideOwners(claims);
        // One owner per threat; every claim in exactly one threat; threats do not share members.
        const keys = owners.flatMap((o) => [...o.memberKeys]);
        if (new Set(keys).size !== keys.length) return false;
        if (owners.reduce((n, o) => n + o.claims.length, 0) !== claims.length) return false;
        for (const o of owners) {
          if (o.claims[0] !== o.owner) return false;
          for (const c of o.claims) if (!c.members.some((m) => o.memberKeys.has(memberKey(m)))) return false;
        }
        return true;
      },
    ),
    { numRuns: 500, seed: 24 },
  );
  t.pass('500 random claim sets');
});

t.test('the rule: committed first, then earliest intercept, then node id', (t) => {
  const c = (node: string, interceptAtMs: number, committed = false): LiveClaim => ({
    node,
    claimId: 'e1',
    members: [{ node: 'A', trackId: '1' }],
    interceptAtMs,
    committed,
    expiresAtMs: 1e13,
  });
  t.equal(decideOwners([c('B', 5), c('A', 6)])[0]!.owner.node, 'B', 'earlier intercept wins');
  t.equal(decideOwners([c('B', 5), c('A', 5)])[0]!.owner.node, 'A', 'a tie goes to the smaller node id');
  t.equal(decideOwners([c('B', 5), c('A', 2), c('C', 9, true)])[0]!.owner.node, 'C', 'a FIRE sent wins');
  t.end();
});
