import { coordinationBadge } from './coordination-badge.js';
import type { SignatureMark } from './node-signature.js';
import type { DisplayState, EngagementView } from './display-state.js';
import { el } from './element.js';
import { IFF_COLOURS } from './plan-view.js';
import { drawSparkline } from './sparkline.js';

const $ = (id: string): HTMLElement => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`display: #${id} missing from the page`);
  return node;
};

const seconds = (us: number | null): string => (us === null ? '—' : `${(us / 1e6).toFixed(1)}`);

/** The DOM panels around the plan view: header, engagements, devices, loop timing, results. */
export class Panels {
  constructor(private readonly state: DisplayState) {}

  render(connection: string, nowMs: number): void {
    this.header(connection, nowMs);
    this.engagements(nowMs);
    this.devices();
    this.loop();
  }

  private header(connection: string, nowMs: number): void {
    const s = this.state;
    $('node').replaceChildren(
      el('span', 'k', 'node '),
      el('b', '', s.nodeId ?? '…'),
      el('span', 'k', '  boot '),
      el('span', '', s.bootId ?? '—'),
      el('span', 'k', '  t '),
      el('span', 'mono', `${seconds(s.nodeNowUs(nowMs))} s`),
      ...(s.sharing === null ? [] : [partnerBadge(s.sharing)]),
      ...(s.coordination === null ? [] : [coordinationBadge(s.coordination)]),
    );
    const nodeOk = s.nodeState === 'online';
    const link = $('link');
    link.textContent =
      connection !== 'connected'
        ? `broker ${connection}`
        : s.nodeState === null
          ? 'waiting for node'
          : `node ${s.nodeState}${s.bridgeMode === 'catching-up' ? ' · catching up' : ''}${s.degraded.length > 0 ? ` · ${s.degraded.join(', ')}` : ''}`;
    const trusted = s.statusSignature === 'verified' && s.untrustedMessages === 0;
    if (s.nodeState !== null && !trusted) {
      link.textContent +=
        s.statusSignature !== 'verified'
          ? ` · status ${signatureWord(s.statusSignature)}`
          : ` · ${s.untrustedMessages} forged message${s.untrustedMessages === 1 ? '' : 's'} ignored/marked` +
            (s.lastUntrusted === null
              ? ''
              : ` (last: ${s.lastUntrusted.topic}, ${signatureWord(s.lastUntrusted.mark)})`);
    }
    link.className = `pill ${connection === 'connected' && nodeOk && s.degraded.length === 0 && trusted ? 'ok' : 'bad'}`;
    const counts: Record<string, number> = {};
    for (const t of s.tracks.values()) counts[t.iff] = (counts[t.iff] ?? 0) + 1;
    $('counts').replaceChildren(
      ...['hostile', 'unknown', 'friendly'].map((iff) => {
        const chip = el('span', 'count', el('i', `sym ${iff}`), `${counts[iff] ?? 0} ${iff}`);
        return chip;
      }),
    );
    const wcs = $('wcs');
    const status = s.weaponsControl;
    wcs.replaceChildren(el('small', '', 'WEAPONS'), el('b', '', status === null ? '—' : status.toUpperCase()));
    wcs.className = `wcs ${status ?? 'unknown'}`;
  }

  private engagements(nowMs: number): void {
    const s = this.state;
    const nowUs = s.nodeNowUs(nowMs);
    const list = [...s.engagements.values()].sort((a, b) => b.firstHostUs - a.firstHostUs);
    const live = list.filter((e) => ['planned', 'fire-sent', 'launched'].includes(e.state)).length;
    const kills = list.filter((e) => e.result === 'kill').length;
    $('eng-count').textContent = `${live} live · ${list.length} total · ${kills} kills`;
    const head = el(
      'tr',
      '',
      ...['id', 'track', 'launcher', 'state', 'launch', 'tof', 'result'].map((h) => el('th', '', h)),
    );
    const rows = list.slice(0, 40).map((e) => this.engagementRow(e, nowUs));
    $('engagements').replaceChildren(
      list.length === 0
        ? el('div', 'empty', 'no engagements yet')
        : el('table', '', el('thead', '', head), el('tbody', '', ...rows)),
    );
  }

  private engagementRow(e: EngagementView, nowUs: number | null): HTMLTableRowElement {
    const launch = e.actualLaunchHostUs ?? e.launchAtHostUs;
    let tof = '—';
    if (launch !== null && e.interceptAtHostUs !== null) {
      const total = (e.interceptAtHostUs - launch) / 1e6;
      tof =
        e.state === 'launched' && nowUs !== null && nowUs < e.interceptAtHostUs
          ? `${Math.max(0, (nowUs - launch) / 1e6).toFixed(1)}/${total.toFixed(1)}`
          : total.toFixed(1);
    }
    const result = e.result ?? (e.state === 'aborted' || e.state === 'failed' ? (e.reason ?? e.state) : '');
    return el(
      'tr',
      e.state,
      el('td', 'mono', e.engagementId),
      el('td', 'mono', e.trackId),
      el('td', '', e.launcherId),
      el('td', '', el('span', `state ${e.state}`, e.state)),
      el('td', 'mono', launch === null ? '—' : seconds(launch)),
      el('td', 'mono', tof),
      el('td', `result ${e.result ?? ''}`, result),
    );
  }

  private devices(): void {
    const s = this.state;
    const ids = [...s.devices.keys()].sort();
    $('devices').replaceChildren(
      ...(ids.length === 0
        ? [el('div', 'empty', 'no device states yet')]
        : ids.map((id) => {
            const d = s.devices.get(id)!;
            const good =
              d.link === 'active' && (d.quality === 'good' || d.quality === 'simulated' || d.quality === 'replayed');
            const c = d.counters;
            const rounds = d.detail['roundsReady'];
            const notReady = d.detail['notReady'];
            const syncUs = d.detail['syncUncertaintyUs'];
            const budgetUs = d.detail['syncBudgetUs'];
            const why =
              d.detail['ready'] === false && typeof notReady === 'string'
                ? `not ready: ${notReady}` +
                  (notReady.includes('time-sync-out-of-bound') && typeof budgetUs === 'number'
                    ? ` (±${typeof syncUs === 'number' ? `${Math.round(syncUs)} us` : 'no sync'} > ${Math.round(budgetUs)} us)`
                    : '')
                : d.detail['ready'] === true
                  ? 'ready to fire'
                  : '';
            return el(
              'div',
              `device ${good ? 'ok' : 'bad'}`,
              el('span', 'dot'),
              el('b', '', d.deviceId),
              el('span', `tag ${d.state}`, d.state),
              d.signature === 'verified' ? null : el('span', 'tag unverified', signatureWord(d.signature)),
              el('span', 'muted', `${d.link} · ${d.quality}${d.qualityReason ? ` (${d.qualityReason})` : ''}`),
              el(
                'span',
                'mono counters',
                `in ${c['framesIn'] ?? 0} out ${c['framesOut'] ?? 0} crc ${c['crcErrors'] ?? 0} retx ${c['retransmits'] ?? 0}` +
                  (typeof rounds === 'number' ? ` · ${rounds} rds` : '') +
                  (d.ageMs === null ? '' : ` · ${d.ageMs.toFixed(0)} ms`),
              ),
              ...(why === '' ? [] : [el('span', d.detail['ready'] === false ? 'notready' : 'muted readiness', why)]),
            );
          })),
    );
  }

  private loop(): void {
    const s = this.state;
    const last = s.loop[s.loop.length - 1];
    const f = s.loopFigures;
    $('loop-now').textContent =
      last === undefined
        ? ''
        : `p99 ${f['tickLatenessP99Us'] ?? '—'} µs · max ${f['tickLatenessMaxUs'] ?? '—'} µs · overruns ${f['overruns'] ?? '—'}`;
    drawSparkline(
      $('spark') as HTMLCanvasElement,
      s.loop.map((l) => l.latenessP99Us),
      { colour: '#4db2ff', unit: 'µs' },
    );
    const b = s.bridgeFigures;
    const figure = (k: string): string => (typeof b[k] === 'number' ? String(b[k]) : '—');
    $('bridge').textContent =
      `bridge ${typeof b['connection'] === 'string' ? b['connection'] : '—'} · published ${figure('publishedRecords')} · queued ${figure('queuedRecords')} · spooled ${figure('spooledRecords')} · dropped ${figure('droppedRecords')}` +
      (s.eventGaps > 0 ? ` · ${s.eventGaps} events lost` : '');
  }
}

/** The IFF legend under the plan view. */
export function renderLegend(): void {
  $('legend').replaceChildren(
    ...Object.keys(IFF_COLOURS)
      .filter((iff) => iff !== 'neutral')
      .map((iff) => el('span', '', el('i', `sym ${iff}`), iff)),
    el('span', '', el('i', 'sym interceptor'), 'interceptor'),
    el('span', '', el('i', 'sym aim'), 'predicted intercept'),
    el('span', '', el('i', 'sym launcher'), 'launcher'),
    el('span', '', el('i', 'sym radar'), 'radar'),
  );
}

/** What a signature mark says to a person. */
export function signatureWord(mark: SignatureMark | null): string {
  switch (mark) {
    case 'verified':
      return 'signed';
    case 'unsigned':
      return 'UNSIGNED';
    case 'bad-signature':
      return 'BAD SIGNATURE';
    default:
      return 'UNVERIFIED (no node key)';
  }
}

/** The joint-picture badge: each partner's picture, and ALONE when none is live. */
function partnerBadge(sharing: NonNullable<DisplayState['sharing']>): HTMLElement {
  const parts = sharing.partners.map(
    (p) =>
      `${p.partnerId} ${p.state}${p.state === 'live' ? ` (${p.tracks})` : ''}${p.dropped > 0 ? `, ${p.dropped} dropped` : ''}`,
  );
  const badge = el(
    'span',
    `pill ${sharing.alone ? 'bad' : 'ok'}`,
    `${sharing.alone ? 'ALONE · ' : 'joint · '}${parts.join(' · ')}`,
  );
  badge.id = 'partners';
  badge.title = 'Partner pictures of the joint shield (status.sharing)';
  return badge;
}
