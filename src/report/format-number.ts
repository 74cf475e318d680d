/**
 * Numbers for people: up to `digits` significant digits, thousands grouped with a thin space,
 * no trailing zeros, `−` for minus; `—` for null or non-finite.
 */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  let text: string;
  if (abs >= 10 ** digits) text = Math.round(abs).toString();
  else text = Number(abs.toPrecision(digits)).toString();
  if (text.includes('e')) text = abs.toExponential(digits - 1);
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  const grouped = whole.length > 4 && !text.includes('e') ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : whole;
  return (value < 0 ? '\u2212' : '') + grouped + (fraction !== undefined ? `.${fraction}` : '');
}
