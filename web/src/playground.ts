/**
 * Page 3: a dense network on a toy 2-D set, trained a few epochs per animation frame on the
 * main thread (the sets are 200 points, each frame's work is a few milliseconds), with the
 * decision regions redrawn after each. The setup lives in the URL hash.
 */
import * as st from 'striate/browser';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const SETS = ['xor', 'fourGaussians', 'onePocket', 'twoPockets', 'twoSpirals', 'circles'] as const;
type SetName = (typeof SETS)[number];
const COLORS = [[66, 120, 208], [217, 83, 79], [92, 184, 92], [240, 173, 78]];
const GRID = 60;
const EPOCHS_PER_FRAME = 4;

interface Setup { set: SetName; hidden: number[]; act: string; lr: number }

function readSetup(): Setup {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const set = SETS.includes(q.get('set') as SetName) ? (q.get('set') as SetName) : 'circles';
  const hidden = (q.get('hidden') ?? '8,8').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0 && n <= 64).slice(0, 4);
  const act = ['tanh', 'relu', 'sigmoid'].includes(q.get('act') ?? '') ? q.get('act')! : 'tanh';
  const lr = Number(q.get('lr'));
  return { set, hidden: hidden.length ? hidden : [8, 8], act, lr: lr > 0 && lr <= 1 ? lr : 0.03 };
}

function writeSetup(s: Setup): void {
  const q = new URLSearchParams({ set: s.set, hidden: s.hidden.join(','), act: s.act, lr: String(s.lr) });
  history.replaceState(null, '', `#/playground?${q}`);
}

export function startPlayground(): void {
  const canvas = $<HTMLCanvasElement>('pg-canvas');
  const ctx = canvas.getContext('2d')!;
  const controls = { set: $<HTMLSelectElement>('pg-set'), hidden: $<HTMLInputElement>('pg-hidden'),
    act: $<HTMLSelectElement>('pg-act'), lr: $<HTMLSelectElement>('pg-lr') };
  let generation = 0;
  let running = true;
  let redraws = 0;

  const reset = (): void => {
    const s = readSetup();
    controls.set.value = s.set;
    controls.hidden.value = s.hidden.join(',');
    controls.act.value = s.act;
    if (![...controls.lr.options].some((o) => Number(o.value) === s.lr)) controls.lr.add(new Option(String(s.lr)));
    controls.lr.value = String(s.lr);
    writeSetup(s);
    void run(s, ++generation);
  };

  async function run(s: Setup, gen: number): Promise<void> {
    const data = st.data[s.set]({ n: 200, seed: 1 });
    const points = data.x.dataSync() as Float32Array;
    const labels = data.y.dataSync() as Int32Array;
    const classes = Math.max(...labels) + 1;
    let lo = Infinity, hi = -Infinity;
    for (const v of points) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const margin = (hi - lo) * 0.1;
    lo -= margin; hi += margin;
    const grid = new Float32Array(GRID * GRID * 2);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        grid[(r * GRID + c) * 2] = lo + ((c + 0.5) / GRID) * (hi - lo);
        grid[(r * GRID + c) * 2 + 1] = hi - ((r + 0.5) / GRID) * (hi - lo);
      }
    }
    const gridTensor = st.tensor(grid, [GRID * GRID, 2]);
    st.setSeed(1);
    const model = st.sequential({ layers: [
      ...s.hidden.map((units, i) => st.layers.dense({ units, activation: s.act as 'tanh', ...(i === 0 ? { inputShape: [2] } : {}) })),
      st.layers.dense({ units: classes, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: st.train.adam(s.lr), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    let epochs = 0;
    while (gen === generation) {
      if (running) {
        const h = await model.fit(data.x, data.y, { epochs: EPOCHS_PER_FRAME, batchSize: 50, verbose: 0, shuffle: true });
        if (gen !== generation) break;
        epochs += EPOCHS_PER_FRAME;
        $('pg-epochs').textContent = String(epochs);
        $('pg-loss').textContent = h.history.loss[h.history.loss.length - 1].toFixed(3);
        $('pg-acc').textContent = h.history.acc[h.history.acc.length - 1].toFixed(3);
        draw(model.predict(gridTensor) as st.Tensor, points, labels, lo, hi, classes);
        canvas.dataset.set = s.set;
        canvas.dataset.redraws = String(++redraws);
        canvas.dataset.epochs = String(epochs);
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  function draw(probs: st.Tensor, points: Float32Array, labels: Int32Array, lo: number, hi: number, classes: number): void {
    const p = probs.dataSync() as Float32Array;
    const image = ctx.createImageData(GRID, GRID);
    for (let i = 0; i < GRID * GRID; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (p[i * classes + k] > p[i * classes + best]) best = k;
      // paler where the network is unsure
      const sure = p[i * classes + best];
      const fade = 0.35 + 0.45 * (1 - sure);
      const col = COLORS[best].map((v) => Math.round(v + (255 - v) * fade));
      image.data.set([...col, 255], i * 4);
    }
    const tile = document.createElement('canvas');
    tile.width = tile.height = GRID;
    tile.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, 0, 0, canvas.width, canvas.height);
    const px = (v: number): number => ((v - lo) / (hi - lo)) * canvas.width;
    for (let i = 0; i < labels.length; i++) {
      ctx.beginPath();
      ctx.arc(px(points[2 * i]), canvas.height - px(points[2 * i + 1]), 4, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${COLORS[labels[i]].join(',')})`;
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.stroke();
    }
  }

  const changed = (): void => {
    writeSetup({ set: controls.set.value as SetName, act: controls.act.value, lr: Number(controls.lr.value),
      hidden: controls.hidden.value.split(',').map((v) => Number(v.trim())) });
    reset();
  };
  for (const c of Object.values(controls)) c.addEventListener('change', changed);
  $('pg-reset').addEventListener('click', reset);
  $('pg-run').addEventListener('click', () => {
    running = !running;
    $('pg-run').textContent = running ? 'Pause' : 'Resume';
  });
  // a pasted or edited playground address takes effect
  addEventListener('hashchange', () => { if (location.hash.startsWith('#/playground?')) reset(); });
  reset();
}
