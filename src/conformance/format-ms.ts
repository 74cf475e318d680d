/** Microseconds as milliseconds for result lines: `20 ms`, `0.35 ms`, `1.25 ms`. */
export function formatMs(us: number): string {
  const ms = us / 1000;
  const text = Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2);
  return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text} ms`;
}
