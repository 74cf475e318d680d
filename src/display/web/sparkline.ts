/** A small canvas line chart of the latest values (null = gap), with its last and max value. */
export function drawSparkline(
  canvas: HTMLCanvasElement,
  values: readonly (number | null)[],
  options: { colour: string; unit: string },
): void {
  const dpr = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const w = rect.width;
  const h = rect.height;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (ctx === null || w === 0) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const present = values.filter((v): v is number => v !== null);
  ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
  if (present.length === 0) {
    ctx.fillStyle = 'rgba(160,175,195,0.6)';
    ctx.fillText('no loop timing yet', 6, h / 2 + 3);
    return;
  }
  const max = Math.max(...present, 1);
  const top = 12;
  const y = (v: number): number => h - 2 - (v / max) * (h - top - 2);
  const x = (i: number): number => (values.length <= 1 ? w : (i / (values.length - 1)) * (w - 2) + 1);
  ctx.beginPath();
  let started = false;
  values.forEach((v, i) => {
    if (v === null) {
      started = false;
      return;
    }
    if (started) ctx.lineTo(x(i), y(v));
    else ctx.moveTo(x(i), y(v));
    started = true;
  });
  ctx.strokeStyle = options.colour;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.lineTo(x(values.length - 1), h);
  ctx.lineTo(x(0), h);
  ctx.globalAlpha = 0.12;
  ctx.fillStyle = options.colour;
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.fillStyle = 'rgba(200,215,230,0.75)';
  ctx.textAlign = 'right';
  ctx.fillText(`max ${max.toFixed(0)} ${options.unit}`, w - 4, 10);
  ctx.textAlign = 'left';
}
