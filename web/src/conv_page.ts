/**
 * Page 4: a 3x3 kernel over a digit with st.conv2d, stride and padding as controls, the output
 * size from the seeds' formula (n + 2p - k) / s + 1 (rounded down), and for one chosen output
 * cell its window on the padded input and the nine products that sum to it.
 */
import * as st from 'striate/browser';
import { unpackDigits } from './protocol';
import { range } from './charts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const K = 3;
/** screen pixels per image cell: the canvases are drawn big so the window outline is crisp */
const ZOOM = 8;

const PRESETS: Record<string, number[]> = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  blur: Array(9).fill(1 / 9),
  gaussian: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
};

/** Paints h x w grey values zoomed, with an outline around rows/cols [r, r+size) x [c, c+size). */
function paint(canvas: HTMLCanvasElement, values: ArrayLike<number>, h: number, w: number,
               lo: number, hi: number, box: [number, number, number]): void {
  const tile = document.createElement('canvas');
  tile.width = w;
  tile.height = h;
  const tctx = tile.getContext('2d')!;
  const image = tctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const g = Math.max(0, Math.min(255, Math.round(((values[i] - lo) / (hi - lo || 1)) * 255)));
    image.data.set([g, g, g, 255], i * 4);
  }
  tctx.putImageData(image, 0, 0);
  canvas.width = w * ZOOM;
  canvas.height = h * ZOOM;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, canvas.width, canvas.height);
  const [r, c, size] = box;
  ctx.strokeStyle = '#f0a500';
  ctx.lineWidth = 2;
  ctx.strokeRect(c * ZOOM + 1, r * ZOOM + 1, size * ZOOM - 2, size * ZOOM - 2);
}

export function startConvPage(): void {
  const cells: HTMLInputElement[] = [];
  for (let i = 0; i < 9; i++) {
    const input = Object.assign(document.createElement('input'), { type: 'number', step: '0.1', value: '0' });
    input.setAttribute('aria-label', `kernel row ${Math.floor(i / 3) + 1}, column ${(i % 3) + 1}`);
    input.addEventListener('input', update);
    cells.push(input);
  }
  $('conv-kernel').replaceChildren(...cells);
  const outCanvas = $<HTMLCanvasElement>('conv-out');
  let images: Float32Array | null = null;
  let count = 0, index = 0;
  let cell: [number, number] = [4, 4];
  let outSize: [number, number] = [1, 1];

  const setPreset = (name: string): void => {
    PRESETS[name].forEach((v, i) => { cells[i].value = String(Math.round(v * 1000) / 1000); });
    update();
  };

  function update(): void {
    if (!images) return;
    const n = 28;
    const s = Number($<HTMLSelectElement>('conv-stride').value), p = Number($<HTMLSelectElement>('conv-pad').value);
    const image = images.subarray(index * n * n, (index + 1) * n * n);
    const kernel = cells.map((c) => Number(c.value) || 0);
    const out = st.tidy(() => st.conv2d(st.tensor(image, [1, n, n, 1]), st.tensor(kernel, [K, K, 1, 1]), s, p));
    const [, oh, ow] = out.shape;
    const values = out.dataSync() as Float32Array;
    outSize = [oh, ow];
    cell = [Math.min(cell[0], oh - 1), Math.min(cell[1], ow - 1)];
    const expected = Math.floor((n + 2 * p - K) / s) + 1;
    $('conv-formula').textContent = `output size = (n + 2p − k) / s + 1 = (${n} + 2·${p} − ${K}) / ${s} + 1 = ` +
      `${expected}${(n + 2 * p - K) % s ? ' (rounded down)' : ''}: ${oh} x ${ow}`;

    // the input as the kernel sees it: zero padding around the image
    const m = n + 2 * p;
    const padded = new Float32Array(m * m);
    for (let y = 0; y < n; y++) padded.set(image.subarray(y * n, (y + 1) * n), (y + p) * m + p);
    const [r, c] = cell;
    paint($<HTMLCanvasElement>('conv-in'), padded, m, m, 0, 1, [r * s, c * s, K]);
    const [lo, hi] = range(values);
    paint(outCanvas, values, oh, ow, lo, hi, [r, c, 1]);

    const terms: string[] = [];
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const w = kernel[i * K + j];
        terms.push(`${padded[(r * s + i) * m + c * s + j].toFixed(3)}×${w < 0 ? `(${w})` : w}`);
      }
    }
    const cellValue = values[r * ow + c];
    $('conv-cell').textContent = `output[${r}, ${c}] = ${terms.join(' + ')} = ${cellValue.toFixed(3)}`;
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i] * ((i % 7) + 1);
    outCanvas.dataset.checksum = sum.toFixed(4);
    outCanvas.dataset.size = `${oh}x${ow}`;
    outCanvas.dataset.cell = `${r},${c}`;
    outCanvas.dataset.cellValue = String(cellValue);
  }

  // choose the output cell to explain: click it, or focus the output and use the arrow keys
  outCanvas.addEventListener('click', (e) => {
    const rect = outCanvas.getBoundingClientRect();
    cell = [Math.floor(((e.clientY - rect.top) / rect.height) * outSize[0]), Math.floor(((e.clientX - rect.left) / rect.width) * outSize[1])];
    update();
  });
  outCanvas.addEventListener('keydown', (e) => {
    const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const d = step[e.key];
    if (!d) return;
    e.preventDefault();
    cell = [Math.max(0, Math.min(outSize[0] - 1, cell[0] + d[0])), Math.max(0, Math.min(outSize[1] - 1, cell[1] + d[1]))];
    update();
  });
  const preset = $<HTMLSelectElement>('conv-preset');
  preset.addEventListener('change', () => setPreset(preset.value));
  $('conv-stride').addEventListener('change', update);
  $('conv-pad').addEventListener('change', update);
  $('conv-next').addEventListener('click', () => { index = (index + 1) % count; update(); });
  void fetch('./digits.bin').then(async (r) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const d = unpackDigits(new Uint8Array(await r.arrayBuffer()));
    images = d.images;
    count = d.count;
    setPreset(preset.value);
  }).catch((e) => { $('conv-formula').textContent = `Could not load the digits: ${(e as Error).message}`; });
}
