/** Small drawing helpers the pages share: a line chart and grey-scale images on canvases. */

/** A line chart of one or more series over steps, as an SVG string, y from 0 to max. */
export function lineChart(series: { name: string; color: string; values: number[] }[], steps: number[], yMax: number): string {
  const w = 420, h = 200, left = 36, bottom = 22, top = 8, right = 8;
  const n = steps.length;
  const x0 = steps[0] ?? 0, x1 = Math.max(steps[n - 1] ?? 1, x0 + 1);
  const x = (s: number): number => left + ((s - x0) / (x1 - x0)) * (w - left - right);
  const y = (v: number): number => top + (1 - Math.min(v, yMax) / yMax) * (h - top - bottom);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="loss and accuracy per step" font-size="11" font-family="sans-serif">`];
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    out.push(`<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  out.push(`<text x="${w - right}" y="${h - 6}" text-anchor="end">step ${x1}</text><text x="${left}" y="${h - 6}">step ${x0}</text>`);
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(steps[j]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points}"/>`,
      `<text x="${left + 8 + i * 90}" y="${top + 12}" fill="${s.color}">${s.name}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** Paints `values` (row-major, h x w) into the canvas as grey levels, black at lo, white at hi. */
export function paintGrey(canvas: HTMLCanvasElement, values: ArrayLike<number>, h: number, w: number, lo: number, hi: number): void {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(w, h);
  const span = hi - lo || 1;
  for (let i = 0; i < h * w; i++) {
    const g = Math.max(0, Math.min(255, Math.round(((values[i] - lo) / span) * 255)));
    image.data.set([g, g, g, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

export function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return [lo, hi];
}
