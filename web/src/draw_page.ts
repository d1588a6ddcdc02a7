/**
 * Page 2: draw a digit; it is shrunk the way MNIST digits were made (the ink's bounding box
 * fitted into 20x20, centred in 28x28) and the worker's model gives the top 3 classes.
 */
import { trainer } from './train_page';
import { paintGrey } from './charts';
import { renderMaps } from './maps_view';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The drawing as 28x28 values in [0, 1], or null when nothing is drawn. */
function toDigit(canvas: HTMLCanvasElement): Float32Array | null {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  const data = ctx.getImageData(0, 0, w, h).data;
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (data[(y * w + x) * 4] > 20) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const size = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const small = document.createElement('canvas');
  small.width = small.height = 28;
  const sctx = small.getContext('2d')!;
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  const scale = 20 / size;
  const dw = (x1 - x0 + 1) * scale, dh = (y1 - y0 + 1) * scale;
  sctx.drawImage(canvas, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (28 - dw) / 2, (28 - dh) / 2, dw, dh);
  const pixels = sctx.getImageData(0, 0, 28, 28).data;
  const out = new Float32Array(784);
  for (let i = 0; i < 784; i++) out[i] = pixels[i * 4] / 255;
  return out;
}

export function startDrawPage(): void {
  const t = trainer();
  const canvas = $<HTMLCanvasElement>('draw-canvas');
  const ctx = canvas.getContext('2d')!;
  const status = $('draw-model');
  const clear = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    $('draw-top').replaceChildren();
    $('draw-maps').replaceChildren();
  };
  clear();

  const describe = (): void => {
    status.textContent = t.step === 0
      ? 'The model has not trained yet: train it on the "Train digits" page, or press "Train 150 steps".'
      : `Model trained for ${t.step} steps.`;
  };
  describe();
  t.listen((m) => { if (m.type === 'stopped' || (m.type === 'progress' && m.step % 25 === 0)) describe(); });

  let asking = false, again = false;
  const classify = async (): Promise<void> => {
    if (asking) { again = true; return; }
    const pixels = toDigit(canvas);
    if (!pixels) return;
    paintGrey($<HTMLCanvasElement>('draw-small'), pixels, 28, 28, 0, 1);
    asking = true;
    const { probabilities, step, maps } = await t.predict(pixels);
    asking = false;
    const top = probabilities.map((p, c) => [p, c]).sort((a, b) => b[0] - a[0]).slice(0, 3);
    $('draw-top').replaceChildren(...top.map(([p, c]) => {
      const li = document.createElement('li');
      li.dataset.digit = String(c);
      li.innerHTML = `<strong>${c}</strong> ${(p * 100).toFixed(1)}%<span class="bar" style="width:${Math.round(p * 120)}px"></span>`;
      return li;
    }));
    $('draw-top').dataset.step = String(step);
    renderMaps($('draw-maps'), maps);
    if (again) { again = false; void classify(); }
  };

  let last: [number, number] | null = null;
  const point = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * canvas.width, ((e.clientY - r.top) / r.height) * canvas.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
  });
  const stroke = (from: [number, number], to: [number, number]): void => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 20;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.stroke();
  };
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = point(e);
    stroke(last, p);
    last = p;
  });
  const end = (): void => {
    if (!last) return;
    last = null;
    void classify();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  keyboardPen(canvas, $('draw-pen'), stroke, () => void classify(), clear);
  $('draw-clear').addEventListener('click', clear);
  $('draw-quick').addEventListener('click', () => {
    if (t.running) return;
    status.textContent = 'Training 150 steps…';
    t.train({ steps: 150, batchSize: 32, learningRate: 0.001 });
  });
}

/** canvas pixels the pen moves per arrow key press */
const PEN_STEP = 14;

/**
 * Drawing without a pointer: the arrow keys move a pen (shown as a ring over the canvas), Space
 * puts it down or lifts it, and lifting it reads the digit, as lifting a finger does.
 */
function keyboardPen(canvas: HTMLCanvasElement, ring: HTMLElement, stroke: (from: [number, number], to: [number, number]) => void,
                     lifted: () => void, clear: () => void): void {
  let at: [number, number] = [canvas.width / 2, canvas.height / 2];
  let down = false;
  const show = (): void => {
    // the ring sits in CSS pixels over a canvas that may be drawn smaller than its 280 pixels
    const scale = canvas.getBoundingClientRect().width / canvas.width;
    ring.style.left = `${at[0] * scale}px`;
    ring.style.top = `${at[1] * scale}px`;
    ring.classList.toggle('down', down);
    ring.hidden = false;
  };
  const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  canvas.addEventListener('keydown', (e) => {
    if (e.key === 'Delete' || e.key === 'Backspace') {
      clear();
    } else if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const next: [number, number] = [Math.min(canvas.width, Math.max(0, at[0] + dx * PEN_STEP)),
        Math.min(canvas.height, Math.max(0, at[1] + dy * PEN_STEP))];
      if (down) stroke(at, next);
      at = next;
    } else if (e.key === ' ') {
      down = !down;
      if (down) stroke(at, at);
      else lifted();
    } else {
      return;
    }
    e.preventDefault();
    show();
  });
  canvas.addEventListener('blur', () => { ring.hidden = true; });
  canvas.addEventListener('focus', show);
}
