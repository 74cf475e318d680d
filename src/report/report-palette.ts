/**
 * Colours of the report, one meaning each across every chart and table. IFF follows the usual
 * symbology (hostile red, friendly blue, unknown amber); outcomes are green (kill) to red.
 */
export const REPORT_PALETTE = {
  iff: { hostile: '#d62728', friendly: '#1f6fd1', unknown: '#e8a200' },
  result: {
    kill: '#2e9e44',
    miss: '#f07b0f',
    lost: '#8a8a8a',
    aborted: '#8e5cc4',
    failed: '#a3201a',
    open: '#17a2b8',
  },
  phase: { detect: '#c9ced6', planned: '#8fb8e8', fireSent: '#f2c14e' },
  launcher: '#1b1f24',
  radar: '#6f42c1',
  envelopeMax: 'rgba(55, 75, 100, 0.6)',
  envelopeMin: 'rgba(55, 75, 100, 0.45)',
  defended: 'rgba(31, 111, 209, 0.5)',
  killMarker: '#111111',
  leaker: '#d62728',
  bars: '#3d6fb6',
  barsAlt: '#c26a1b',
} as const;

/** `#rrggbb` with an alpha, as `rgba()`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
