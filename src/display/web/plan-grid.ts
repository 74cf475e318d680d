import type { PlanProjection } from './plan-symbols.js';

/** Range rings about the site (labelled), the axes and a north arrow. */
export function drawGrid(ctx: CanvasRenderingContext2D, p: PlanProjection): void {
  const visibleM = Math.max(p.width, p.height) / p.scale;
  const step = niceStep(visibleM / 6);
  const [ox, oy] = p.toScreen(0, 0);
  const maxR = Math.hypot(p.width, p.height) / p.scale + Math.hypot(p.centreE, p.centreN);
  ctx.lineWidth = 1;
  ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textAlign = 'left';
  for (let r = step, i = 1; r <= maxR && i < 60; r += step, i++) {
    ctx.strokeStyle = i % 5 === 0 ? 'rgba(120,150,180,0.22)' : 'rgba(120,150,180,0.11)';
    ctx.beginPath();
    ctx.arc(ox, oy, r * p.scale, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = 'rgba(140,165,190,0.45)';
    ctx.fillText(formatKm(r), ox + r * p.scale * Math.SQRT1_2 + 3, oy - r * p.scale * Math.SQRT1_2 - 3);
  }
  ctx.strokeStyle = 'rgba(120,150,180,0.14)';
  ctx.beginPath();
  ctx.moveTo(0, oy);
  ctx.lineTo(p.width, oy);
  ctx.moveTo(ox, 0);
  ctx.lineTo(ox, p.height);
  ctx.stroke();
  // North arrow.
  ctx.fillStyle = 'rgba(200,215,230,0.7)';
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('N', p.width - 24, 22);
  ctx.beginPath();
  ctx.moveTo(p.width - 24, 28);
  ctx.lineTo(p.width - 29, 42);
  ctx.lineTo(p.width - 19, 42);
  ctx.closePath();
  ctx.fill();
}

/** A scale bar of a round length, bottom left; says so when the zoom is manual. */
export function drawScaleBar(ctx: CanvasRenderingContext2D, p: PlanProjection, manual: boolean): void {
  const lengthM = niceStep(120 / p.scale);
  const px = lengthM * p.scale;
  const x = 16;
  const y = p.height - 18;
  ctx.strokeStyle = 'rgba(200,215,230,0.7)';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, y - 4);
  ctx.lineTo(x, y);
  ctx.lineTo(x + px, y);
  ctx.lineTo(x + px, y - 4);
  ctx.stroke();
  ctx.fillStyle = 'rgba(200,215,230,0.8)';
  ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textAlign = 'left';
  ctx.fillText(formatKm(lengthM), x + px + 6, y + 3);
  if (manual) ctx.fillText('manual zoom — double-click to fit', x, y - 12);
}

/** 1, 2 or 5 times a power of ten, at least `x`. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function formatKm(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(m % 1000 === 0 ? 0 : 1)} km` : `${m.toFixed(0)} m`;
}
