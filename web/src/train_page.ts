/** Page 1: the digit CNN trains in a worker; the page draws curves, filters and the confusion matrix. */
import * as st from 'striate/browser';
import type { BackendName, BackendState, Evaluation, FromWorker, ModelName, Progress, ToWorker } from './protocol';
import { lineChart, paintGrey, range } from './charts';
import { renderMaps } from './maps_view';

type Ready = Extract<FromWorker, { type: 'ready' }>;
type Prediction = Extract<FromWorker, { type: 'prediction' }>;

/** The one training worker, shared by the train and draw pages. */
class Trainer {
  readonly worker = new Worker(new URL('./train_worker.ts', import.meta.url), { type: 'module' });
  ready: Ready | null = null;
  step = 0;
  running = false;
  private listeners = new Set<(m: FromWorker) => void>();
  private pending = new Map<number, (p: Prediction) => void>();
  private nextId = 1;

  constructor() {
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'ready') this.ready = m;
      if (m.type === 'progress') this.step = m.step;
      if (m.type === 'stopped') this.running = false;
      if (m.type === 'reset') this.step = 0;
      if (m.type === 'prediction') {
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
      }
      for (const f of this.listeners) f(m);
    };
    this.worker.onerror = (e) => {
      for (const f of this.listeners) f({ type: 'error', message: e.message || 'the training worker failed to start' });
    };
  }

  send(m: ToWorker): void { this.worker.postMessage(m); }
  listen(f: (m: FromWorker) => void): void { this.listeners.add(f); }

  onReady(f: (r: Ready) => void): void {
    if (this.ready) f(this.ready);
    else this.listen((m) => { if (m.type === 'ready') f(m); });
  }

  train(options: { steps?: number; batchSize: number; learningRate: number }): void {
    this.running = true;
    this.send({ type: 'train', ...options });
  }

  predict(pixels: Float32Array): Promise<Prediction> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ type: 'predict', id, pixels });
    });
  }
}

let instance: Trainer | null = null;
export function trainer(): Trainer {
  return (instance ??= new Trainer());
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export function startTrainPage(): void {
  const t = trainer();
  const start = $<HTMLButtonElement>('train-start'), stop = $<HTMLButtonElement>('train-stop');
  const limit = $<HTMLInputElement>('train-limit');
  const steps: number[] = [], losses: number[] = [], accs: number[] = [];
  let lossMax = 2.5;
  let lastDraw = 0;

  const drawCurves = (): void => {
    $('train-curves').innerHTML = lineChart([
      { name: 'loss', color: '#c0392b', values: losses }, { name: 'accuracy', color: '#1f4fa8', values: accs },
    ], steps, Math.max(1, Math.ceil(lossMax)));
  };

  const onProgress = (m: Progress): void => {
    // a running mean over 10 batches: single batches of 32 are noisy
    const k = Math.min(10, losses.length + 1);
    const smooth = (prev: number[], v: number): number => (prev.length ? prev[prev.length - 1] + (v - prev[prev.length - 1]) / k : v);
    steps.push(m.step);
    losses.push(smooth(losses, m.loss));
    accs.push(smooth(accs, m.acc));
    if (steps.length === 1) lossMax = m.loss;
    $('train-steps').textContent = String(m.step);
    $('train-loss').textContent = losses[losses.length - 1].toFixed(3);
    $('train-acc').textContent = accs[accs.length - 1].toFixed(3);
    // the first and latest smoothed values, for anyone checking the page learns (the browser test)
    const curves = $('train-curves');
    curves.dataset.firstLoss ??= String(losses[0]);
    curves.dataset.firstAcc ??= String(accs[0]);
    curves.dataset.lastLoss = String(losses[losses.length - 1]);
    curves.dataset.lastAcc = String(accs[accs.length - 1]);
    $('train-rate').textContent = Math.round(m.examplesPerSecond).toLocaleString('en');
    const now = performance.now();
    if (now - lastDraw > 250) { drawCurves(); lastDraw = now; }
  };

  const onEvaluation = (m: Evaluation): void => {
    $('train-test-acc').textContent = m.testAccuracy.toFixed(3);
    $('train-confusion').innerHTML = st.viz.confusionMatrix({ matrix: m.confusion, title: `step ${m.step}` });
    // a conv kernel [kh, kw, 1, out] gives out small filters; a dense one [784, units] one 28x28 image a unit
    const conv = m.filterShape.length === 4;
    const [kh, kw] = conv ? m.filterShape : [28, 28];
    const units = m.filterShape[m.filterShape.length - 1];
    const count = Math.min(8, units);
    $('train-filters-caption').textContent = conv
      ? `First-layer filters (${count} of ${kh}x${kw})` : `First-layer weights (${count} of ${units} units, as 28x28 images)`;
    const box = $('train-filters');
    while (box.children.length < count) box.append(Object.assign(document.createElement('canvas'), { className: 'filter' }));
    while (box.children.length > count) box.lastChild!.remove();
    for (let f = 0; f < count; f++) {
      const values = new Float32Array(kh * kw);
      for (let i = 0; i < kh * kw; i++) values[i] = m.filters[i * units + f];
      const [lo, hi] = range(values);
      const bound = Math.max(Math.abs(lo), Math.abs(hi));
      paintGrey(box.children[f] as HTMLCanvasElement, values, kh, kw, -bound, bound);
    }
    box.dataset.step = String(m.step);
    const ex = m.example;
    $('train-example-caption').textContent =
      `Feature maps of training example ${ex.index}: a ${ex.label}, which the network reads as ${ex.predicted} (step ${m.step})`;
    const maps = $('train-maps');
    renderMaps(maps, ex.maps);
    maps.dataset.step = String(m.step);
    maps.dataset.example = String(ex.index);
  };

  const clear = (): void => {
    steps.length = losses.length = accs.length = 0;
    const curves = $('train-curves');
    for (const key of ['firstLoss', 'firstAcc', 'lastLoss', 'lastAcc']) delete curves.dataset[key];
    curves.replaceChildren();
    $('train-confusion').replaceChildren();
    $('train-filters').replaceChildren();
    $('train-maps').replaceChildren();
    $('train-example-caption').textContent = 'Feature maps of the current example';
    for (const id of ['train-loss', 'train-acc', 'train-test-acc', 'train-rate']) $(id).textContent = '–';
    $('train-steps').textContent = '0';
    start.textContent = 'Start training';
    start.disabled = false;
    stop.disabled = true;
    delete document.body.dataset.trainState;
  };

  // the backend choice: webgpu only where the worker found an adapter it can train on
  const backendSelect = $<HTMLSelectElement>('train-backend');
  const backendNote = $('train-backend-state');
  let gpuDetail = '';
  const showBackend = (state: BackendState, extra = ''): void => {
    const shown = state.fallbacks.slice(0, 5).join(', ') + (state.fallbacks.length > 5 ? `, +${state.fallbacks.length - 5} more` : '');
    backendNote.textContent = `Training runs on ${state.backend}${state.adapter ? ` (${state.adapter})` : ''}.` +
      (state.fallbacks.length ? ` On the CPU for want of a GPU kernel: ${shown}.` : '') + extra +
      (state.backend !== 'webgpu' && gpuDetail ? ` WebGPU: ${gpuDetail}.` : '');
    backendNote.dataset.backend = state.backend;
    backendNote.dataset.fallbacks = String(state.fallbacks.length);
    backendSelect.value = state.backend === 'webgpu' ? 'webgpu' : 'wasm';
  };
  t.onReady((ready) => {
    const gpu = backendSelect.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
    gpu.disabled = !ready.webgpu.available;
    gpu.textContent = ready.webgpu.available ? 'webgpu (GPU)' : 'webgpu (not available here)';
    gpu.title = ready.webgpu.detail;
    gpuDetail = ready.webgpu.available ? `available (${ready.webgpu.detail})` : `not available: ${ready.webgpu.detail}`;
    backendSelect.dataset.webgpu = ready.webgpu.available ? 'available' : 'unavailable';
    showBackend({ backend: ready.backend, fallbacks: [] });
  });
  backendSelect.addEventListener('change', () => {
    backendSelect.disabled = start.disabled = stop.disabled = true;
    backendNote.textContent = `Moving the model to ${backendSelect.value}…`;
    delete backendNote.dataset.backend;
    t.send({ type: 'backend', name: backendSelect.value as BackendName });
  });

  t.listen((m) => {
    if (m.type === 'backend') {
      showBackend(m.state, m.error ? ` It could not switch: ${m.error}`
        : m.step > 0 ? ` The weights after ${m.step} steps came along; the optimizer starts afresh.` : '');
      backendSelect.disabled = false;
      start.disabled = false;
      stop.disabled = true;
      if (m.step > 0) start.textContent = 'Continue training';
      if (document.body.dataset.trainState === 'running') document.body.dataset.trainState = 'stopped';
    } else if (m.type === 'reset') clear();
    else if (m.type === 'progress') onProgress(m);
    else if (m.type === 'evaluation') onEvaluation(m);
    else if (m.type === 'stopped') {
      showBackend(m.state);
      drawCurves();
      start.disabled = false;
      stop.disabled = true;
      start.textContent = 'Continue training';
      document.body.dataset.trainState = 'stopped';
    } else if (m.type === 'saved' || m.type === 'loaded') {
      const store = $('train-store');
      store.textContent = m.type === 'saved'
        ? `Saved the model after ${m.step} steps in this browser (${m.url}).`
        : `Loaded the model saved after ${m.step} steps (${m.url}).`;
      store.dataset.state = m.type;
      store.dataset.step = String(m.step);
      $('train-steps').textContent = String(m.step);
    } else if (m.type === 'exported') {
      // the page, not the worker, has a document to download from: the artifacts become a model here and go out as files
      void st.loadLayersModel({ load: async () => m.artifacts }).then((model) => model.save('downloads://striate-digits')).then(() => {
        $('train-store').textContent = `Downloaded the model after ${m.step} steps: striate-digits.json and striate-digits.weights.bin.`;
        $('train-store').dataset.state = 'downloaded';
      }, (e: Error) => {
        $('train-store').textContent = `The download failed: ${e.message}`;
        $('train-store').dataset.state = 'error';
      });
    } else if (m.type === 'storeError') {
      $('train-store').textContent = m.message;
      $('train-store').dataset.state = 'error';
    } else if (m.type === 'error') {
      $('threads').textContent = `Training failed: ${m.message}`;
      $('threads').className = 'warn';
    }
  });

  start.addEventListener('click', () => {
    const n = Number(limit.value);
    start.disabled = true;
    stop.disabled = false;
    document.body.dataset.trainState = 'running';
    t.train({ steps: n > 0 ? n : undefined, batchSize: Number($<HTMLSelectElement>('train-batch').value),
      learningRate: Number($<HTMLSelectElement>('train-lr').value) });
  });
  stop.addEventListener('click', () => t.send({ type: 'stop' }));
  const reset = (): void => {
    start.disabled = stop.disabled = true;
    t.send({ type: 'reset', model: $<HTMLSelectElement>('train-model').value as ModelName });
  };
  $('train-reset').addEventListener('click', reset);
  $('train-save').addEventListener('click', () => t.send({ type: 'save' }));
  $('train-load').addEventListener('click', () => t.send({ type: 'load' }));
  $('train-download').addEventListener('click', () => t.send({ type: 'export' }));
  // model.json with its weight files, e.g. from a download here or a run folder of `npx striate train`
  const open = $<HTMLInputElement>('train-open');
  open.addEventListener('change', async () => {
    const files = [...(open.files ?? [])];
    if (files.length === 0) return;
    const names = files.map((f) => f.name).join(', ');
    try {
      const artifacts = await st.browserFiles(files).load();
      t.send({ type: 'import', artifacts, names });
    } catch (e) {
      $('train-store').textContent = (e as Error).message;
      $('train-store').dataset.state = 'error';
    }
    open.value = '';
  });
  $('train-model').addEventListener('change', reset);
}
