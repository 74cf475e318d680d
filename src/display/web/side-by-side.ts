/// <reference lib="dom" />
import type { DisplayLayout } from '../display-layout.js';
import { DisplayState } from './display-state.js';
import { el } from './element.js';
import { AssociationLayer } from './association-layer.js';
import { JointLayer } from './joint-layer.js';
import type { SignatureMark } from './node-signature.js';
import { PlanView } from './plan-view.js';
import { ThreatLayer } from './threat-layer.js';

/** Most nodes shown side by side (one plan view each). */
export const MAX_SIDE_BY_SIDE_NODES = 4;

/** What the page exposes of the side-by-side view for tests: `window.__sideBySide`. */
export interface SideBySideHandle {
  nodes(): {
    nodeId: string;
    tracks: { trackId: string; origin: string | null; eastM: number; northM: number }[];
    counts: { local: number; partner: number; fused: number };
    /** The pane's header text (node, joint state, track counts, signature). */
    header: string;
    /** The pane's canvas, in page CSS pixels. */
    canvas: { left: number; top: number; width: number; height: number };
  }[];
  /** Where a node's plan view draws an ENU point (CSS pixels in that pane's canvas). */
  screenOf(nodeId: string, eastM: number, northM: number): [number, number];
}

declare global {
  interface Window {
    __sideBySide?: SideBySideHandle;
  }
}

interface Pane {
  readonly nodeId: string;
  readonly state: DisplayState;
  readonly plan: PlanView;
  readonly joint: JointLayer;
  readonly threats: ThreatLayer;
  readonly head: HTMLElement;
  readonly canvas: HTMLCanvasElement;
}

/**
 * Two (up to {@link MAX_SIDE_BY_SIDE_NODES}) nodes' pictures side by side: `?nodes=node-a,node-b`
 * replaces the one plan view with one per node, each from that node's own topics (status,
 * tracks, threats, engagements) on the display's broker, each with its joint layer (own,
 * partner, fused told apart) and a header saying the node's joint state (its partners live or
 * stale, ALONE) and its tracks by origin. The broker must carry every listed node's tree (one
 * broker for the bench, or an observer's read-only bridge of `shieldlink/v1/<node>/#`). Only
 * the display's own node (`node`) is checked against its key; the others are marked
 * unverified. The side panels (engagements, devices, operator) stay the display's own node's.
 */
export class SideBySide {
  private readonly panes: Pane[];

  private constructor(
    nodeIds: readonly string[],
    host: HTMLElement,
    layout: DisplayLayout | null,
    private readonly ownNodeId: string | null,
    ownKeyKnown: boolean,
  ) {
    const grid = el('div');
    grid.id = 'side-by-side';
    grid.style.gridTemplateColumns = `repeat(${nodeIds.length}, minmax(0, 1fr))`;
    host.append(grid);
    host.classList.add('sbs');
    const single = host.querySelector('#plan-canvas');
    if (single instanceof HTMLElement) single.style.display = 'none';
    this.panes = nodeIds.map((nodeId) => {
      const head = el('div', 'sbs-head', el('b', '', nodeId), 'waiting for status');
      const canvas = el('canvas');
      canvas.setAttribute('aria-label', `plan view of ${nodeId}`);
      canvas.dataset['node'] = nodeId;
      grid.append(el('section', 'sbs-pane', head, canvas));
      const state = new DisplayState(nodeId);
      state.nodeKeyKnown = nodeId === ownNodeId && ownKeyKnown;
      // The layout (device positions) is the display's own node's; another node's plan fits its tracks.
      const plan = new PlanView(canvas, state, nodeId === ownNodeId ? layout : null);
      const threats = new ThreatLayer();
      const joint = new JointLayer(state, host.querySelector('#legend'));
      plan.layers.push(threats, joint, new AssociationLayer(state, host.querySelector<HTMLElement>('#legend')));
      return { nodeId, state, plan, joint, threats, head, canvas };
    });
    window.__sideBySide = this.handle();
  }

  /** The view `?nodes=a,b` asks for, or null without it; a bad list is shown in place of the view. */
  static fromParams(
    params: URLSearchParams,
    host: HTMLElement,
    layout: DisplayLayout | null,
    ownNodeId: string | null,
    ownKeyKnown: boolean,
  ): SideBySide | null {
    const raw = params.get('nodes');
    if (raw === null) return null;
    const ids = [...new Set(raw.split(',').map((s) => s.trim()))].filter((s) => s !== '');
    const bad = ids.find((id) => !/^[A-Za-z0-9_.-]{1,64}$/.test(id));
    if (ids.length === 0 || ids.length > MAX_SIDE_BY_SIDE_NODES || bad !== undefined) {
      host.append(
        el(
          'div',
          'legend',
          `?nodes= expects 1 to ${MAX_SIDE_BY_SIDE_NODES} node ids (letters, digits, . _ -), comma-separated${bad !== undefined ? `; not a node id: ${bad}` : ''}`,
        ),
      );
      return null;
    }
    return new SideBySide(ids, host, layout, ownNodeId, ownKeyKnown);
  }

  /** The topics of every shown node. */
  subscriptions(): string[] {
    return this.panes.flatMap((p) =>
      ['status', 'tracks', 'threats', 'engagements/+'].map((t) => `shieldlink/v1/${p.nodeId}/${t}`),
    );
  }

  /** Take a message: the pane of its node (if any) takes it; the signature mark counts for the own node only. */
  accept(topic: string, value: unknown, localNowMs: number, mark: SignatureMark | null): void {
    for (const p of this.panes) {
      const verified = p.nodeId === this.ownNodeId ? mark : null;
      if (p.state.accept(topic, value, localNowMs, verified) && topic.endsWith('/threats')) p.threats.accept(value);
    }
  }

  /** Draw every pane (each animation frame) and refresh the headers. */
  draw(localNowMs: number): void {
    for (const p of this.panes) {
      p.plan.draw(localNowMs);
      const text = this.headerText(p);
      if (p.head.dataset['text'] !== text) {
        p.head.dataset['text'] = text;
        const alone = p.state.sharing?.alone === true;
        p.head.replaceChildren(el('b', '', p.nodeId), alone ? el('span', 'alone', 'ALONE ') : '', this.details(p));
      }
    }
  }

  private headerText(p: Pane): string {
    return `${p.nodeId} ${p.state.sharing?.alone === true ? 'ALONE ' : ''}${this.details(p)}`;
  }

  private details(p: Pane): string {
    const c = p.joint.counts();
    const sharing = p.state.sharing;
    const joint =
      sharing === null
        ? 'not sharing'
        : sharing.partners
            .map((q) => `${q.partnerId} ${q.state}${q.state === 'live' ? ` (${q.tracks})` : ''}`)
            .join(', ');
    const trust = p.nodeId === this.ownNodeId && p.state.nodeKeyKnown ? 'signed' : 'unverified';
    return `${joint} · own ${c.local} · partner ${c.partner} · fused ${c.fused} · ${trust}`;
  }

  private handle(): SideBySideHandle {
    return {
      nodes: () =>
        this.panes.map((p) => {
          const r = p.canvas.getBoundingClientRect();
          return {
            nodeId: p.nodeId,
            tracks: [...p.state.tracks.values()].map((t) => ({
              trackId: t.trackId,
              origin: t.origin ?? null,
              eastM: t.eastM,
              northM: t.northM,
            })),
            counts: p.joint.counts(),
            header: this.headerText(p),
            canvas: { left: r.left, top: r.top, width: r.width, height: r.height },
          };
        }),
      screenOf: (nodeId, eastM, northM) => {
        const pane = this.panes.find((p) => p.nodeId === nodeId);
        return pane === undefined ? [Number.NaN, Number.NaN] : pane.plan.toScreen(eastM, northM);
      },
    };
  }
}
