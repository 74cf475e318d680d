import type { DisplayLayout } from '../display-layout.js';
import { CommandSigner, parseKeyFile, randomCommandId } from './command-signer.js';
import type { DisplayState } from './display-state.js';
import { el } from './element.js';
import { signatureWord } from './panels.js';

/** Publishes one command message (QoS 1) on a topic. */
export type CommandPublisher = (topic: string, payload: string) => void;

interface SentCommand {
  readonly verb: string;
  readonly args: Record<string, string>;
  readonly operators: string[];
}

const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** Percent-encode an id for a topic level (docs/mqtt.md §Topics). */
function topicLevel(id: string): string {
  if (id === '') return '_';
  return Array.from(new TextEncoder().encode(id), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9._:-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/**
 * The operator panel. Read-only until an operator key file is loaded (it stays in this tab's
 * memory, as a non-extractable WebCrypto key); then it signs commands exactly as docs/mqtt.md
 * says and publishes them on `commands/<verb>`. Results come back on `commands/result` and are
 * listed with the command they answer; a `pending` two-operator command can be co-signed after
 * loading the second operator's key.
 */
export class OperatorConsole {
  private signer: CommandSigner | null = null;
  private readonly sent = new Map<string, SentCommand>();
  selectedTrack: string | null = null;
  private rendered = '';

  constructor(
    private readonly state: DisplayState,
    private readonly publish: CommandPublisher,
    layout: DisplayLayout | null,
  ) {
    const input = $('key-file') as HTMLInputElement;
    input.addEventListener('change', () => void this.loadKey(input));
    for (const status of ['hold', 'tight', 'free'])
      $(`wcs-${status}`).addEventListener('click', () => void this.send('set-weapons-control', { status }));
    $('cmd-engage').addEventListener('click', () => this.trackCommand('engage-track'));
    $('cmd-hold').addEventListener('click', () => this.trackCommand('hold-fire'));
    $('cmd-cease').addEventListener('click', () => this.trackCommand('cease-fire'));
    $('cmd-arm').addEventListener('click', () => void this.send('arm', { launcherId: this.launcher() }));
    $('cmd-safe').addEventListener('click', () => void this.send('safe', { launcherId: this.launcher() }));
    this.setLaunchers((layout?.launchers ?? []).map((l) => l.id));
    this.refresh();
  }

  /** Launcher choices: from the layout, else from the node's birth/device states. */
  setLaunchers(ids: readonly string[]): void {
    const select = $('launcher-select') as HTMLSelectElement;
    const current = [...select.options].map((o) => o.value);
    if (ids.length === 0 || ids.join() === current.join()) return;
    select.replaceChildren(...ids.map((id) => el('option', '', id)));
  }

  private launcher(): string {
    return ($('launcher-select') as HTMLSelectElement).value;
  }

  private trackCommand(verb: string): void {
    if (this.selectedTrack === null) return this.note('select a track on the plan view first');
    void this.send(verb, { trackId: this.selectedTrack });
  }

  private note(text: string): void {
    $('operator-note').textContent = text;
  }

  private async loadKey(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    try {
      const key = parseKeyFile(await file.text());
      this.signer = await CommandSigner.fromKeyFile(key);
      this.note(`signing as ${key.operator} (key ${key.keyId})`);
    } catch (error) {
      this.signer = null;
      this.note(`key not loaded: ${(error as Error).message}`);
    }
    this.refresh();
  }

  private async send(verb: string, args: Record<string, string>, id = randomCommandId()): Promise<void> {
    const node = this.state.nodeId;
    if (this.signer === null || node === null) return;
    if (Object.values(args).some((v) => v === '')) return this.note('nothing selected');
    // The operator's browser wall clock at signing: the node checks it for freshness against its
    // own clock. Browser code, outside the node's one-clock rule (src/time).
    const message = await this.signer.sign({ id, node, verb, args, timestampMs: Date.now() });
    const previous = this.sent.get(id);
    this.sent.set(id, { verb, args, operators: [...(previous?.operators ?? []), this.signer.operator] });
    this.publish(`shieldlink/v1/${topicLevel(node)}/commands/${verb}`, JSON.stringify(message));
    this.note(`sent ${verb} ${Object.values(args).join(' ')} as ${this.signer.operator} (${id})`);
    this.refresh();
  }

  /** Re-render the enabled state and the result list. */
  refresh(): void {
    const armed = this.signer !== null && this.state.nodeId !== null;
    $('operator').classList.toggle('armed', armed);
    $('key-state').textContent = this.signer === null ? 'read-only' : `operator ${this.signer.operator}`;
    for (const button of document.querySelectorAll<HTMLButtonElement>('#operator button.cmd')) button.disabled = !armed;
    $('selected-track').textContent = this.selectedTrack ?? 'none';
    // Rebuild the result rows only when they changed (a click must not hit a replaced button).
    const key = `${this.signer?.keyId ?? ''}|${this.sent.size}|${this.state.results.map((r) => `${r.id}:${r.status}:${r.signature ?? ''}`).join()}`;
    if (key === this.rendered) return;
    this.rendered = key;
    const rows = this.state.results
      .filter((r) => r.id !== null && this.sent.has(r.id))
      .slice(0, 8)
      .map((r) => {
        const sent = this.sent.get(r.id!)!;
        const cosign =
          r.status === 'pending' && this.signer !== null && !sent.operators.includes(this.signer.operator)
            ? el('button', 'cmd small', `co-sign as ${this.signer.operator}`)
            : null;
        cosign?.addEventListener('click', () => void this.send(sent.verb, sent.args, r.id!));
        return el(
          'div',
          `result ${r.status}`,
          el('span', `tag ${r.status}`, r.status),
          r.signature === 'verified' ? null : el('span', 'tag unverified', signatureWord(r.signature)),
          el('b', '', r.verb ?? sent.verb),
          el('span', 'mono', Object.values(sent.args).join(' ')),
          el('span', 'muted', r.reason ?? (r.operators.length > 0 ? r.operators.join(' + ') : '')),
          cosign,
        );
      });
    $('results').replaceChildren(...(rows.length === 0 ? [el('div', 'empty', 'no commands sent')] : rows));
  }
}
