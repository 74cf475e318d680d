import { escapeHtml } from './html-text.js';

/** A table cell: plain text (escaped), or text with a CSS class (`num`, `pass`, `fail`, ...). */
export type TableCell =
  string | number | { readonly text: string; readonly className?: string; readonly title?: string };

/** What {@link htmlTable} renders. */
export interface TableSpec {
  readonly headers: readonly TableCell[];
  readonly rows: readonly (readonly TableCell[])[];
  readonly className?: string;
  /** Shown instead of an empty body. */
  readonly empty?: string;
}

/** An HTML table; numbers are right-aligned, every text escaped. */
export function htmlTable(spec: TableSpec): string {
  const cell = (tag: 'th' | 'td', c: TableCell): string => {
    if (typeof c === 'number') return `<${tag} class="num">${escapeHtml(String(c))}</${tag}>`;
    if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
    const cls = c.className !== undefined ? ` class="${escapeHtml(c.className)}"` : '';
    const title = c.title !== undefined ? ` title="${escapeHtml(c.title)}"` : '';
    return `<${tag}${cls}${title}>${escapeHtml(c.text)}</${tag}>`;
  };
  const head = `<thead><tr>${spec.headers.map((h) => cell('th', h)).join('')}</tr></thead>`;
  const body =
    spec.rows.length === 0
      ? `<tbody><tr><td class="empty" colspan="${spec.headers.length}">${escapeHtml(spec.empty ?? 'none')}</td></tr></tbody>`
      : `<tbody>${spec.rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('\n')}</tbody>`;
  const cls = spec.className !== undefined ? ` class="${escapeHtml(spec.className)}"` : '';
  return `<table${cls}>${head}${body}</table>`;
}
