/**
 * Page 4: a 3x3 kernel over a digit with st.conv2d, stride and padding as controls, the output
 * size from the seeds' formula (n + 2p - k) / s + 1 (rounded down), and for one chosen output
 * cell its window on the padded input and the nine products that sum to it. Play sweeps the
 * window over the input (conv_anim.ts) and fills the output in cell by cell.
 */
import * as st from 'striate/browser';
import { unpackDigits } from './protocol';
import { range } from './charts';
import { MS_PER_CELL, Sweep, type Speed } from './conv_anim';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const K = 3;
/** screen pixels per image cell: the canvases are drawn big so the window outline is crisp */
const ZOOM = 8;
/** output cells the window has not reached yet: a tint no grey value can be mistaken for */
const UNREACHED = [214, 224, 242];

const PRESETS: Record<string, number[]> = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  blur: Array(9).fill(1 / 9),
  gaussian: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
};

/**
 * Paints h x w grey values zoomed, the first `shown` (row-major) as greys and the rest as
 * UNREACHED, with an outline around rows/cols [r, r+size) x [c, c+size).
 */
function paint(canvas: HTMLCanvasElement, values: ArrayLike<number>, h: number, w: number,
               lo: number, hi: number, box: [number, number, number], shown = h * w): void {
  const tile = document.createElement('canvas');
  tile.width = w;
  tile.height = h;
  const tctx = tile.getContext('2d')!;
  const image = tctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const g = Math.max(0, Math.min(255, Math.round(((values[i] - lo) / (hi - lo || 1)) * 255)));
    image.data.set(i < shown ? [g, g, g, 255] : [...UNREACHED, 255], i * 4);
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

/** What one convolution produced, kept so that moving the window redraws without convolving again. */
interface Result {
  kernel: number[];
  stride: number;
  /** the input as the kernel sees it: zero padding around the image, m x m */
  padded: Float32Array;
  m: number;
  values: Float32Array;
  oh: number;
  ow: number;
  lo: number;
  hi: number;
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
  const cellText = $('conv-cell');
  const playButton = $<HTMLButtonElement>('conv-play');
  const speed = $<HTMLSelectElement>('conv-speed');
  let images: Float32Array | null = null;
  let count = 0, index = 0;
  let cell: [number, number] = [4, 4];
  let result: Result | null = null;
  const sweep = new Sweep(render);

  // motion the reader did not ask for is what reduced-motion users object to: the sweep never
  // starts on its own for anyone, and for them Play starts at the slow, cell-by-cell pace
  if (matchMedia('(prefers-reduced-motion: reduce)').matches) speed.value = 'slow';
  sweep.msPerCell = MS_PER_CELL[speed.value as Speed];

  const setPreset = (name: string): void => {
    PRESETS[name].forEach((v, i) => { cells[i].value = String(Math.round(v * 1000) / 1000); });
    update();
  };

  /** Convolves again after any change to the image, kernel, stride or padding. */
  function update(): void {
    if (!images) return;
    const n = 28;
    const s = Number($<HTMLSelectElement>('conv-stride').value), p = Number($<HTMLSelectElement>('conv-pad').value);
    const image = images.subarray(index * n * n, (index + 1) * n * n);
    const kernel = cells.map((c) => Number(c.value) || 0);
    const out = st.tidy(() => st.conv2d(st.tensor(image, [1, n, n, 1]), st.tensor(kernel, [K, K, 1, 1]), s, p));
    const [, oh, ow] = out.shape;
    const values = out.dataSync() as Float32Array;
    const expected = Math.floor((n + 2 * p - K) / s) + 1;
    $('conv-formula').textContent = `output size = (n + 2p − k) / s + 1 = (${n} + 2·${p} − ${K}) / ${s} + 1 = ` +
      `${expected}${(n + 2 * p - K) % s ? ' (rounded down)' : ''}: ${oh} x ${ow}`;
    const m = n + 2 * p;
    const padded = new Float32Array(m * m);
    for (let y = 0; y < n; y++) padded.set(image.subarray(y * n, (y + 1) * n), (y + p) * m + p);
    // the grey scale spans the whole output, so a cell keeps its shade as the sweep reveals more
    const [lo, hi] = range(values);
    result = { kernel, stride: s, padded, m, values, oh, ow, lo, hi };
    cell = [Math.min(cell[0], oh - 1), Math.min(cell[1], ow - 1)];
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i] * ((i % 7) + 1);
    outCanvas.dataset.checksum = sum.toFixed(4);
    outCanvas.dataset.size = `${oh}x${ow}`;
    sweep.restart(oh * ow);
    render();
  }

  /** Draws the window, the (partly) filled output and the products for the current cell. */
  function render(): void {
    if (!result) return;
    const { kernel, stride: s, padded, m, values, oh, ow, lo, hi } = result;
    const at = sweep.current;
    if (at !== null) cell = [Math.floor(at / ow), at % ow];
    const [r, c] = cell;
    paint($<HTMLCanvasElement>('conv-in'), padded, m, m, 0, 1, [r * s, c * s, K]);
    paint(outCanvas, values, oh, ow, lo, hi, [r, c, 1], sweep.filled);

    const terms: string[] = [];
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const w = kernel[i * K + j];
        terms.push(`${padded[(r * s + i) * m + c * s + j].toFixed(3)}×${w < 0 ? `(${w})` : w}`);
      }
    }
    const cellValue = values[r * ow + c];
    cellText.textContent = `output[${r}, ${c}] = ${terms.join(' + ')} = ${cellValue.toFixed(3)}`;
    // a screen reader would otherwise read out dozens of sums a second while the sweep plays
    cellText.setAttribute('aria-live', sweep.playing ? 'off' : 'polite');
    playButton.textContent = sweep.playing ? 'Pause' : 'Play';
    outCanvas.dataset.cell = `${r},${c}`;
    outCanvas.dataset.cellValue = String(cellValue);
    outCanvas.dataset.filled = String(sweep.filled);
    outCanvas.dataset.playing = String(sweep.playing);
  }

  const pick = (r: number, c: number): void => {
    if (!result) return;
    cell = [Math.max(0, Math.min(result.oh - 1, r)), Math.max(0, Math.min(result.ow - 1, c))];
    sweep.jumpTo(cell[0] * result.ow + cell[1]);
  };
  // choose the output cell to explain: click it, or focus the output and use the arrow keys.
  // The click is mapped through the canvas' drawn box (border excluded), whatever CSS scaled it to.
  outCanvas.addEventListener('click', (e) => {
    if (!result) return;
    const rect = outCanvas.getBoundingClientRect();
    const x = e.clientX - rect.left - outCanvas.clientLeft, y = e.clientY - rect.top - outCanvas.clientTop;
    pick(Math.floor((y / outCanvas.clientHeight) * result.oh), Math.floor((x / outCanvas.clientWidth) * result.ow));
  });
  outCanvas.addEventListener('keydown', (e) => {
    const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const d = step[e.key];
    if (!d) return;
    e.preventDefault();
    pick(cell[0] + d[0], cell[1] + d[1]);
  });
  playButton.addEventListener('click', () => (sweep.playing ? sweep.pause() : sweep.play()));
  $('conv-step').addEventListener('click', () => sweep.step());
  // another page shown: a sweep running behind it would only spend the reader's battery
  addEventListener('hashchange', () => { if ($('page-conv').hidden) sweep.pause(); });
  speed.addEventListener('change', () => { sweep.msPerCell = MS_PER_CELL[speed.value as Speed]; });
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
