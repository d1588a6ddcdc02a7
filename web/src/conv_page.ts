/**
 * Page 4: a 3x3 kernel over a digit with st.conv2d, stride and padding as controls, and the
 * output size from the seeds' formula (n + 2p - k) / s + 1, rounded down.
 */
import * as st from 'striate/browser';
import { unpackDigits } from './protocol';
import { paintGrey, range } from './charts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const PRESETS: Record<string, number[]> = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  blur: Array(9).fill(1 / 9),
  gaussian: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
};

export function startConvPage(): void {
  const cells: HTMLInputElement[] = [];
  for (let i = 0; i < 9; i++) {
    const input = Object.assign(document.createElement('input'), { type: 'number', step: '0.1', value: '0' });
    input.setAttribute('aria-label', `kernel row ${Math.floor(i / 3) + 1}, column ${(i % 3) + 1}`);
    input.addEventListener('input', update);
    cells.push(input);
  }
  $('conv-kernel').replaceChildren(...cells);
  let images: Float32Array | null = null;
  let count = 0, index = 0;

  const setPreset = (name: string): void => {
    PRESETS[name].forEach((v, i) => { cells[i].value = String(Math.round(v * 1000) / 1000); });
    update();
  };

  function update(): void {
    if (!images) return;
    const n = 28, k = 3;
    const s = Number($<HTMLSelectElement>('conv-stride').value), p = Number($<HTMLSelectElement>('conv-pad').value);
    const image = images.subarray(index * n * n, (index + 1) * n * n);
    const kernel = cells.map((c) => Number(c.value) || 0);
    const out = st.tidy(() => st.conv2d(st.tensor(image, [1, n, n, 1]), st.tensor(kernel, [k, k, 1, 1]), s, p));
    const [, oh, ow] = out.shape;
    const values = out.dataSync() as Float32Array;
    const expected = Math.floor((n + 2 * p - k) / s) + 1;
    $('conv-formula').textContent = `output size = (n + 2p − k) / s + 1 = (${n} + 2·${p} − ${k}) / ${s} + 1 = ` +
      `${expected}${(n + 2 * p - k) % s ? ' (rounded down)' : ''}: ${oh} x ${ow}`;
    paintGrey($<HTMLCanvasElement>('conv-in'), image, n, n, 0, 1);
    const [lo, hi] = range(values);
    const outCanvas = $<HTMLCanvasElement>('conv-out');
    paintGrey(outCanvas, values, oh, ow, lo, hi);
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i] * ((i % 7) + 1);
    outCanvas.dataset.checksum = sum.toFixed(4);
    outCanvas.dataset.size = `${oh}x${ow}`;
  }

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
