/**
 * Page 3: a dense network on a toy 2-D set, trained a few epochs per animation frame on the
 * main thread (the sets are 200 points, each frame's work is a few milliseconds). After each
 * step the decision regions and every hidden unit's activation are redrawn. Points can be added
 * by clicking the regions (or with the form, from the keyboard); they join the training data at
 * once, without restarting the model. The whole setup, added points included, lives in the URL hash.
 */
import * as st from 'striate/browser';
import {
  ACTIVATIONS, MAX_ADDED, parseHidden, readSetup, roundPoint, setupHash,
  type Activation, type AddedPoint, type SetName, type Setup,
} from './playground_setup';
import { COLORS, COLOR_NAMES, drawRegions, drawUnits, gridPoints, viewOf, GRID, type View } from './playground_draw';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const EPOCHS_PER_FRAME = 4;

/** The network, plus a second model on the same layers whose outputs are every hidden layer and the classes. */
function buildModels(s: Setup, classes: number): { model: st.LayersModel; viewer: st.LayersModel } {
  st.setSeed(1);
  const kernelRegularizer = s.l1 > 0 || s.l2 > 0 ? st.regularizers.l1l2({ l1: s.l1, l2: s.l2 }) : undefined;
  const input = st.input({ shape: [2] });
  const hidden: st.SymbolicTensor[] = [];
  let h = input;
  s.hidden.forEach((units, i) => {
    h = st.layers.dense({ units, activation: s.act, kernelRegularizer }).apply(h);
    hidden.push(h);
    // seeded so that a shared link trains the same way, dropout masks included
    if (s.dropout > 0) h = st.layers.dropout({ rate: s.dropout, seed: 100 + i }).apply(h);
  });
  const out = st.layers.dense({ units: classes, activation: 'softmax', kernelRegularizer }).apply(h);
  const model = st.model({ inputs: input, outputs: out });
  model.compile({ optimizer: st.train.adam(s.lr), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return { model, viewer: st.model({ inputs: input, outputs: [...hidden, out] }) };
}

export function startPlayground(): void {
  const canvas = $<HTMLCanvasElement>('pg-canvas');
  const unitsBox = $<HTMLElement>('pg-units');
  const section = $<HTMLElement>('page-playground');
  const controls = {
    set: $<HTMLSelectElement>('pg-set'), hidden: $<HTMLInputElement>('pg-hidden'), act: $<HTMLSelectElement>('pg-act'),
    lr: $<HTMLSelectElement>('pg-lr'), l1: $<HTMLSelectElement>('pg-l1'), l2: $<HTMLSelectElement>('pg-l2'),
    dropout: $<HTMLSelectElement>('pg-dropout'),
  };
  const classPicker = $<HTMLSelectElement>('pg-class');
  const status = $<HTMLElement>('pg-point-status');
  let setup = readSetup(location.hash);
  let generation = 0;
  let running = true;
  let redraws = 0;
  /** bumped when the added points change, so the training loop rebuilds its tensors */
  let pointsVersion = 0;
  /** where Enter adds a point when the canvas has keyboard focus (data coordinates) */
  let cursor = { x: 0, y: 0 };
  /** what the current run draws with; null until its first step */
  let scene: { view: View; points: Float32Array; labels: Int32Array; classes: number; probs?: Float32Array } | null = null;

  const selectValue = (select: HTMLSelectElement, value: number): void => {
    // a value from a shared link that the list lacks is added rather than silently replaced
    if (![...select.options].some((o) => Number(o.value) === value)) select.add(new Option(String(value)));
    select.value = [...select.options].find((o) => Number(o.value) === value)!.value;
  };

  const reset = (): void => {
    setup = readSetup(location.hash);
    controls.set.value = setup.set;
    controls.hidden.value = setup.hidden.join(',');
    controls.act.value = setup.act;
    selectValue(controls.lr, setup.lr);
    selectValue(controls.l1, setup.l1);
    selectValue(controls.l2, setup.l2);
    selectValue(controls.dropout, setup.dropout);
    scene = null;
    void run(setup, ++generation);
  };

  const showPointCount = (): void => {
    const total = (scene?.labels.length ?? 0) + setup.points.length;
    canvas.dataset.points = String(total);
    canvas.dataset.added = String(setup.points.length);
    $('pg-points').textContent = `${total} (${setup.points.length} added)`;
    $<HTMLButtonElement>('pg-clear').disabled = setup.points.length === 0;
  };

  const paint = (hidden?: Float32Array[]): void => {
    if (!scene?.probs) return;
    drawRegions(canvas, { ...scene, probs: scene.probs, added: setup.points, cursor: document.activeElement === canvas ? cursor : null });
    if (hidden) drawUnits(unitsBox, hidden, setup.hidden, setup.act);
    canvas.dataset.redraws = String(++redraws);
  };

  async function run(s: Setup, gen: number): Promise<void> {
    const data = st.data[s.set]({ n: 200, seed: 1 });
    const points = data.x.dataSync() as Float32Array;
    const labels = data.y.dataSync() as Int32Array;
    const classes = Math.max(...labels) + 1;
    // a shared link may name classes this set does not have
    s.points = s.points.filter((p) => p.c < classes);
    history.replaceState(null, '', setupHash(s));
    fillClassPicker(classes);
    const view = viewOf(points);
    scene = { view, points, labels, classes };
    cursor = { x: (view.lo + view.hi) / 2, y: (view.lo + view.hi) / 2 };
    $('pg-bounds').textContent = `x and y from ${view.lo.toFixed(2)} to ${view.hi.toFixed(2)}`;
    for (const id of ['pg-x', 'pg-y']) Object.assign($<HTMLInputElement>(id), { min: view.lo.toFixed(2), max: view.hi.toFixed(2) });
    showPointCount();
    const gridTensor = st.tensor(gridPoints(view), [GRID * GRID, 2]);
    const { model, viewer } = buildModels(s, classes);
    let epochs = 0;
    let seen = -1;
    let xs = data.x, ys = data.y;
    while (gen === generation) {
      // no training while another page is shown: it would only slow that page's work
      if (running && !section.hidden) {
        if (seen !== pointsVersion) {
          ({ xs, ys } = withAdded(points, labels, s.points));
          seen = pointsVersion;
        }
        const h = await model.fit(xs, ys, { epochs: EPOCHS_PER_FRAME, batchSize: 50, verbose: 0, shuffle: true });
        if (gen !== generation) break;
        epochs += EPOCHS_PER_FRAME;
        $('pg-epochs').textContent = String(epochs);
        $('pg-loss').textContent = h.history.loss[h.history.loss.length - 1].toFixed(3);
        $('pg-acc').textContent = h.history.acc[h.history.acc.length - 1].toFixed(3);
        const outs = viewer.predict(gridTensor) as st.Tensor[];
        scene.probs = outs[outs.length - 1].dataSync() as Float32Array;
        paint(outs.slice(0, -1).map((t) => t.dataSync() as Float32Array));
        canvas.dataset.set = s.set;
        canvas.dataset.epochs = String(epochs);
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  function fillClassPicker(classes: number): void {
    const keep = classPicker.value;
    classPicker.replaceChildren(...Array.from({ length: classes }, (_, k) => new Option(`class ${k} (${COLOR_NAMES[k]})`, String(k))));
    classPicker.value = Number(keep) < classes ? keep : '0';
    classPicker.style.borderLeft = `0.6rem solid rgb(${COLORS[Number(classPicker.value)].join(',')})`;
  }

  function addPoint(x: number, y: number): void {
    if (setup.points.length >= MAX_ADDED) {
      status.textContent = `At most ${MAX_ADDED} added points (the address would get too long); clear some first.`;
      return;
    }
    const p = roundPoint({ x, y, c: Number(classPicker.value) });
    setup.points.push(p);
    pointsVersion++;
    history.replaceState(null, '', setupHash(setup));
    status.textContent = `Added (${p.x.toFixed(2)}, ${p.y.toFixed(2)}) as class ${p.c}.`;
    showPointCount();
    paint(); // shows the point at once, even while paused
  }

  // the canvas may be drawn smaller than its 360 pixels (phone width), so map through its on-screen box
  canvas.addEventListener('click', (e) => {
    if (!scene) return;
    const box = canvas.getBoundingClientRect();
    const fx = (e.clientX - box.left - canvas.clientLeft) / canvas.clientWidth;
    const fy = (e.clientY - box.top - canvas.clientTop) / canvas.clientHeight;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    const { lo, hi } = scene.view;
    addPoint(lo + fx * (hi - lo), hi - fy * (hi - lo));
  });
  // the keyboard's way to point: arrows move a cross in steps of a twentieth of the square, Enter adds
  canvas.addEventListener('keydown', (e) => {
    if (!scene) return;
    const { lo, hi } = scene.view;
    const step = (hi - lo) / 20;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (e.key in moves) {
      const clamp = (v: number): number => Math.min(hi, Math.max(lo, v));
      cursor = { x: clamp(cursor.x + moves[e.key][0]), y: clamp(cursor.y + moves[e.key][1]) };
      $<HTMLInputElement>('pg-x').value = cursor.x.toFixed(2);
      $<HTMLInputElement>('pg-y').value = cursor.y.toFixed(2);
      paint();
    } else if (e.key === 'Enter' || e.key === ' ') {
      addPoint(cursor.x, cursor.y);
    } else {
      return;
    }
    e.preventDefault();
  });
  // the cross shows only while the canvas has focus
  canvas.addEventListener('focus', () => paint());
  canvas.addEventListener('blur', () => paint());
  $<HTMLFormElement>('pg-add').addEventListener('submit', (e) => {
    e.preventDefault();
    const x = Number($<HTMLInputElement>('pg-x').value), y = Number($<HTMLInputElement>('pg-y').value);
    if (!scene || !Number.isFinite(x) || !Number.isFinite(y)) return;
    const { lo, hi } = scene.view;
    if (x < lo || x > hi || y < lo || y > hi) {
      status.textContent = `The point must lie in the square shown: x and y from ${lo.toFixed(2)} to ${hi.toFixed(2)}.`;
      return;
    }
    addPoint(x, y);
  });
  classPicker.addEventListener('change', () => {
    classPicker.style.borderLeft = `0.6rem solid rgb(${COLORS[Number(classPicker.value)].join(',')})`;
  });
  $('pg-clear').addEventListener('click', () => {
    setup.points = [];
    pointsVersion++;
    history.replaceState(null, '', setupHash(setup));
    status.textContent = 'Added points cleared.';
    showPointCount();
    paint();
  });

  const changed = (e: Event): void => {
    const next: Setup = {
      set: controls.set.value as SetName, act: controls.act.value as Activation, lr: Number(controls.lr.value),
      l1: Number(controls.l1.value), l2: Number(controls.l2.value), dropout: Number(controls.dropout.value),
      hidden: parseHidden(controls.hidden.value),
      // added points were placed against one set's data; on another set they mean nothing
      points: e.target === controls.set ? [] : setup.points,
    };
    if (!ACTIVATIONS.includes(next.act)) next.act = 'tanh';
    if (!next.hidden.length) next.hidden = setup.hidden;
    history.replaceState(null, '', setupHash(next));
    reset();
  };
  for (const c of Object.values(controls)) c.addEventListener('change', changed);
  $('pg-reset').addEventListener('click', reset);
  $('pg-run').addEventListener('click', () => {
    running = !running;
    $('pg-run').textContent = running ? 'Pause' : 'Resume';
  });
  // a pasted or edited playground address takes effect; coming back by the menu link (a bare
  // #/playground) keeps the running setup and puts it back in the address, so it can still be shared
  addEventListener('hashchange', () => {
    if (location.hash.startsWith('#/playground?')) reset();
    else if (location.hash.replace(/\/$/, '') === '#/playground') history.replaceState(null, '', setupHash(setup));
  });
  reset();
}

/** The set's points followed by the added ones, as the tensors fit takes. */
function withAdded(points: Float32Array, labels: Int32Array, added: AddedPoint[]): { xs: st.Tensor; ys: st.Tensor } {
  const x = new Float32Array(points.length + 2 * added.length);
  const y = new Int32Array(labels.length + added.length);
  x.set(points);
  y.set(labels);
  added.forEach((p, i) => {
    x[points.length + 2 * i] = p.x;
    x[points.length + 2 * i + 1] = p.y;
    y[labels.length + i] = p.c;
  });
  return { xs: st.tensor(x, [y.length, 2]), ys: st.tensor(y, [y.length], 'int32') };
}
