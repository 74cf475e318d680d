import t from 'tap';
import {
  createControlState,
  step,
  type ControlInput,
  type FireCommand,
  type PartnerHoldsInput,
} from '../../src/control/index.js';
import type { CoordinationAgent } from '../../src/coordination/index.js';
import { operator, testConfig } from '../control/fixtures.js';
import { MiniWorld } from '../control/mini-world.js';
import { makeAgent, SimLink } from './support.js';

/**
 * The hook end to end: two real control cores, each in its own world seeing the same missile,
 * each with its coordination agent, over a 200 ms link — the few lines a multi-node runner adds.
 * Stand-in for fusion: each node's track is taken to be the same threat as the other's track of
 * the same id (one target).
 */

const T0 = 1_765_000_000_000;
const TICK_US = 1000;
const AGENT_EVERY_US = 100_000;
const TARGET = {
  truth: { eastM: 30_000, northM: 20_000, upM: 8_000, eastMps: -250, northMps: -150, upMps: 0 },
  iff: 'hostile' as const,
};

function runPair(coordinated: boolean): { fires: Record<string, FireCommand[]>; agents: CoordinationAgent[] } {
  const ids = ['A', 'B'] as const;
  const link = new SimLink([...ids], () => 200);
  const nodes = ids.map((self) => {
    const config = testConfig();
    const other = self === 'A' ? 'B' : 'A';
    return {
      self,
      other,
      state: createControlState(config),
      world: new MiniWorld(config, [TARGET]),
      agent: makeAgent(self, [other]),
      held: [] as PartnerHoldsInput[],
      fires: [] as FireCommand[],
    };
  });
  for (let now = 0; now <= 30_000_000; now += TICK_US) {
    const utc = T0 + now / 1000;
    for (const n of nodes) {
      const inputs: ControlInput[] = [...n.world.inputs(now, TICK_US), ...n.held.splice(0)];
      if (now === 1_000_000) inputs.push(operator(now, { verb: 'set-weapons-control', status: 'free' }));
      const out = step(n.state, inputs, now);
      n.fires.push(...out.commands.filter((c): c is FireCommand => c.kind === 'fire'));
      n.world.obey(out.commands, now);
      if (!coordinated) continue;
      // --- the runner's lines ---
      for (const m of link.due(n.self, now / 1000)) n.agent.receive(m.topic, m.payload, utc);
      n.agent.setThreats(
        n.state.tracks().map((tr) => ({
          trackId: tr.trackId,
          members: [
            { node: n.self, trackId: String(tr.trackId) },
            { node: n.other, trackId: String(tr.trackId) },
          ],
          mustFireByMs: null,
        })),
      );
      n.agent.observe(inputs, out.events, now, utc);
      if (now % AGENT_EVERY_US === 0) {
        const c = n.agent.tick(now, utc);
        link.send(n.self, now / 1000, c.messages);
        if (c.holds !== null) n.held.push(c.holds);
      }
    }
  }
  return { fires: Object.fromEntries(nodes.map((n) => [n.self, n.fires])), agents: nodes.map((n) => n.agent) };
}

t.test('two cores, one missile: uncoordinated both fire; coordinated only the owner does', (t) => {
  const alone = runPair(false);
  t.ok(alone.fires.A!.length >= 1 && alone.fires.B!.length >= 1, 'without coordination both nodes fire');
  const linked = runPair(true);
  t.ok(linked.fires.A!.length >= 1, 'A (the owner: equal intercepts, smaller node id) fires');
  const aFire = linked.fires.A![0]!;
  // Each node has its own stand-in world: A's kill does not remove the missile from B's, so B may
  // take the threat after A's claim has ended (a second look) — never while it is live.
  t.same(
    linked.fires.B!.filter((f) => f.launchAtHostUs < aFire.interceptAtHostUs),
    [],
    'B holds fire while A’s claim is live',
  );
  for (const a of linked.agents) t.same(a.counters.duplicateEngagements, { linked: 0, lost: 0 }, 'no duplicate');
  t.end();
});
