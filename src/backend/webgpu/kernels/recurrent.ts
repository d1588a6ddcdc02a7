/**
 * WGSL for the recurrent sequence kernels of the webgpu backend (LSTM, GRU, SimpleRNN, forward
 * and back propagation through time; layouts as in Backend.lstmSequence & co., src/backend/types.ts).
 *
 * Each is a persistent kernel: one dispatch runs every time step. A workgroup owns ROWS batch
 * rows for the whole sequence; its threads split the units (thread l takes units l, l + WG, ...)
 * and compute, per step, the recurrent product h_{t-1} U of their units' gate columns for those
 * rows (each weight is loaded once and used for every row) and then the gates. The state a step
 * hands to the next (h_t in the record going forward; dz of the step going backward) is written
 * to storage and read by the other threads after a storageBarrier(), a barrier of the workgroup:
 * no step crosses workgroups, so no dispatch per step and no readback. The running gradients
 * (dh, dc, dy) live in a scratch buffer, each entry touched by the one thread that owns its unit.
 *
 * Backward kernels read the recurrent kernel transposed (KT, [gates * u, u], made by the
 * backend's transpose), so that the threads of a workgroup read consecutive words.
 *
 * Accumulators are zeroed by an explicit constructor (`array<f32, ROWS>()`): under Dawn on
 * SwiftShader a declaration-only `var` inside a loop body kept its value from the iteration
 * before (the gradients summed over steps until this was written out).
 *
 * Limits, not measured on a real GPU yet (none was available): a long sequence is one long
 * dispatch, which a platform with a GPU watchdog (Windows' two seconds) may cut; nothing here
 * splits it. The parallelism is ceil(batch / ROWS) workgroups of 64 threads, so a small batch
 * of a wide layer keeps few of a large GPU's cores busy; a kernel per step that spreads the
 * units over many workgroups (the steps then in one command encoder) would be the next step there.
 */
import type { RecurrentActivation } from '../../types.js';

/** What a generated recurrent kernel needs besides its buffers. */
export interface RecurrentProgram {
  /** identifies the pipeline: equal keys mean equal code */
  key: string;
  code: string;
  /** workgroups along x: one per ROWS batch rows */
  workgroups: [number, number, number];
  /** batch, steps, units, 0 */
  uniforms: ArrayBuffer;
}

/**
 * The sizes, and which optional inputs are real: they travel in the uniforms (flags), so one
 * pipeline serves every size, with and without mask, dropout mask, GRU bias and each SimpleRNN
 * activation; an absent input is bound to a one-word placeholder the kernel never reads.
 */
export interface RecurrentShape {
  batch: number;
  steps: number;
  units: number;
  mask: boolean;
  drop: boolean;
  /** gruSequence: a recurrent bias is bound */
  bias?: boolean;
  /** simpleRnnSequence */
  activation?: RecurrentActivation;
}

const ACTIVATION_CODE: Record<RecurrentActivation, number> = { tanh: 0, relu: 1, linear: 2 };

/**
 * Batch rows per workgroup: the weights a thread loads serve this many rows. Two choices only,
 * so a program compiles at most two pipelines (compiling is slow on software GPUs).
 */
function rowsPerGroup(batch: number): number {
  return batch >= 4 ? 4 : 1;
}

/** Threads per workgroup; a thread takes units l, l + WG, ... */
const WG = 64;

/** sigmoid and tanh that never form inf / inf (WGSL's tanh may for large |v| on some drivers) */
const MATH = `fn sigm(v: f32) -> f32 {
  let e = exp(-abs(v));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);
}
fn th(v: f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}`;

/**
 * The shared frame: constants, the named storage buffers (read-only first, then read_write),
 * the uniform block, the mask and dropout accessors, and `main` around `body`, which sees n (units),
 * T, B, r0 (the workgroup's first row) and l (the thread's index).
 */
function frame(name: string, s: RecurrentShape, reads: readonly string[], writes: readonly string[], helpers: string,
  body: string): RecurrentProgram {
  const rows = rowsPerGroup(s.batch), wg = WG;
  const all = [...reads, 'M', 'D'];
  const decl = [
    ...all.map((b, i) => `@group(0) @binding(${i}) var<storage, read> ${b}: array<f32>;`),
    ...writes.map((b, i) => `@group(0) @binding(${all.length + i}) var<storage, read_write> ${b}: array<f32>;`),
    `struct P { batch: u32, steps: u32, units: u32, flags: u32 }`,
    `@group(0) @binding(${all.length + writes.length}) var<uniform> p: P;`,
  ].join('\n');
  const code = `const ROWS = ${rows}u;
const WG = ${wg}u;
${decl}
${MATH}
// flags: 1 mask, 2 dropout mask, 4 GRU recurrent bias, 8 * (SimpleRNN activation: 0 tanh, 1 relu, 2 linear)
fn real(row: u32, t: u32) -> bool {
  if ((p.flags & 1u) == 0u) { return true; }
  return M[row * p.steps + t] != 0.0;
}
fn dropAt(row: u32, k: u32) -> f32 {
  if ((p.flags & 2u) == 0u) { return 1.0; }
  return D[row * p.units + k];
}
${helpers}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = p.units;
  let T = p.steps;
  let B = p.batch;
  let r0 = wid.x * ROWS;
  let l = lid.x;
${body}
}
`;
  const flags = +s.mask | (+s.drop << 1) | (+!!s.bias << 2) | (ACTIVATION_CODE[s.activation ?? 'tanh'] << 3);
  const uniforms = new Uint32Array([s.batch, s.steps, s.units, flags]).buffer;
  return {
    key: `${name}:r${rows}`, code,
    workgroups: [Math.ceil(s.batch / rows), 1, 1], uniforms,
  };
}

/** h_{t-1} of `row` (the record holds h_t at `at` of each `width`-word step; H0 before step 0) */
const hPrevFn = (record: string, width: string, at: string): string =>
  `fn hPrev(row: u32, t: u32, k: u32) -> f32 {
  if (t == 0u) { return H0[row * p.units + k]; }
  return ${record}[(row * p.steps + t - 1u) * ${width} * p.units + ${at} * p.units + k];
}
fn yPrev(base: u32, rec: u32, at: u32, t: u32) -> f32 {
  // a padded step keeps the output; 0 before the first real step
  if (t == 0u) { return 0.0; }
  return ${record}[base - rec + at];
}`;

/*
 * WGSL fragments shared by the generators below (each program is these plus its gate maths).
 * The body of `frame`'s main sees n, T, B, r0, l, and the program's `rec` (record words per
 * step of a row).
 */

/** Forward: the steps in order, each running `phases` for every unit of the thread, a barrier after each. */
const forwardSteps = (...phases: string[]): string => `  for (var t = 0u; t < T; t++) {
${phases.map((body) => `    for (var k = l; k < n; k += WG) {
${body}
    }
    storageBarrier();`).join('\n')}
  }`;

/** The workgroup's rows that exist, each with `base`: unit k's word in the record of step t. */
const eachRow = (body: string): string => `      for (var r = 0u; r < ROWS; r++) {
        let row = r0 + r;
        if (row >= B) { break; }
        let base = (row * T + t) * rec + k;
${body}
      }`;

/**
 * The forward recurrent product: acc[r] += (h_{t-1} times the dropout mask) of unit j times w,
 * over j, for every row (clamped to the batch: a missing row recomputes the last). `weight`
 * declares w, unit j's weights for unit k's gates.
 */
const hProduct = (acc: string, weight: string): string => `      for (var j = 0u; j < n; j++) {
        ${weight}
        for (var r = 0u; r < ROWS; r++) {
          let row = min(r0 + r, B - 1u);
          ${acc}[r] += (hPrev(row, t, j) * dropAt(row, j)) * w;
        }
      }`;

/** Word of scratch slot `i` (a [B, n] block of S: 0 dh, then dy, dc ...) for row `row`, unit k. */
const slot = (i: number): string => (i === 0 ? 'row * n + k' : i === 1 ? '(B + row) * n + k' : `(${i}u * B + row) * n + k`);

/** Backward: zeroes the first `count` scratch slots of the workgroup's rows. */
const zeroScratch = (count: number): string => `  for (var k = l; k < n; k += WG) {
    for (var r = 0u; r < ROWS; r++) {
      let row = r0 + r;
      if (row < B) { ${Array.from({ length: count }, (_, i) => `S[${slot(i)}] = 0.0;`).join(' ')} }
    }
  }`;

/**
 * Backward: the steps last to first. Per unit and row, `gates` writes the gate gradients of
 * the step (it sees base, zb: unit k's word of dz, `width` words per step of a row, and ih: its
 * dh slot); after a barrier, `recurrent` makes the gradient of h_{t-1}.
 */
const backwardSteps = (width: string, gates: string, recurrent: string): string => `  for (var q = 0u; q < T; q++) {
    let t = T - 1u - q;
    for (var k = l; k < n; k += WG) {
${eachRow(`        let zb = (row * T + t) * ${width} + k;
        let ih = row * n + k;
${gates}`)}
    }
    storageBarrier();${recurrent}
  }`;

/**
 * Backward, per unit k: acc[r] = the sum over j < count of `term` (which adds something times
 * w = KT[`weight`] to acc[r]), then `store` for each row that exists at a real step.
 */
const gradProduct = (count: string, weight: string, term: string, store: string): string => `
    for (var k = l; k < n; k += WG) {
      var acc = array<f32, ROWS>();
      for (var j = 0u; j < ${count}; j++) {
        let w = KT[${weight}];
        for (var r = 0u; r < ROWS; r++) {
${term}
        }
      }
      for (var r = 0u; r < ROWS; r++) {
        let row = r0 + r;
        if (row < B && real(row, t)) {
${store}
        }
      }
    }`;

/** gradProduct's term for dz (`width` words per step of a row) at word `off` + j of the step. */
const dzTerm = (width: string, off = ''): string =>
  `          acc[r] += O[(min(r0 + r, B - 1u) * T + t) * ${width} + ${off}j] * w;`;

/** Backward: the first `count` scratch slots (dh0, then dc0) go out after dz ([B, T, width]). */
const copyOut = (width: string, count: number): string => `  let dOff = B * T * ${width};
  for (var k = l; k < n; k += WG) {
    for (var r = 0u; r < ROWS; r++) {
      let row = r0 + r;
      if (row < B) { ${Array.from({ length: count }, (_, i) => `O[dOff + ${slot(i)}] = S[${slot(i)}];`).join(' ')} }
    }
  }`;

/** Every step of an LSTM: X xProj [B, T, 4n], H0, C0 [B, n], K [n, 4n] -> Y, the record [B, T, 7n]. */
export function lstmForwardProgram(s: RecurrentShape): RecurrentProgram {
  return frame('lstmFwd', s, ['X', 'H0', 'C0', 'K'], ['Y'], hPrevFn('Y', '7u', '5u'), `  let rec = 7u * n;
  let g4 = 4u * n;
${forwardSteps(`      var z = array<vec4<f32>, ROWS>();
      for (var r = 0u; r < ROWS; r++) {
        let xb = (min(r0 + r, B - 1u) * T + t) * g4 + k;
        z[r] = vec4<f32>(X[xb], X[xb + n], X[xb + 2u * n], X[xb + 3u * n]);
      }
${hProduct('z', `let kb = j * g4 + k;
        let w = vec4<f32>(K[kb], K[kb + n], K[kb + 2u * n], K[kb + 3u * n]);`)}
${eachRow(`        let i = sigm(z[r].x);
        let f = sigm(z[r].y);
        let g = th(z[r].z);
        let o = sigm(z[r].w);
        Y[base] = i;
        Y[base + n] = f;
        Y[base + 2u * n] = g;
        Y[base + 3u * n] = o;
        var cp: f32;
        if (t == 0u) { cp = C0[row * n + k]; } else { cp = Y[base - rec + 4u * n]; }
        let hp = hPrev(row, t, k);
        if (real(row, t)) {
          let c = f * cp + i * g;
          let h = o * th(c);
          Y[base + 4u * n] = c;
          Y[base + 5u * n] = h;
          Y[base + 6u * n] = h;
        } else {
          Y[base + 4u * n] = cp;
          Y[base + 5u * n] = hp;
          Y[base + 6u * n] = yPrev(base, rec, 6u * n, t);
        }`)}`)}`);
}

/**
 * BPTT of the LSTM: REC the record, C0, KT [4n, n], DREC the record's gradient -> O: dz [B, T, 4n],
 * dh0, dc0 [B, n]; S scratch [3, B, n] (dh, dc, dy).
 */
export function lstmBackwardProgram(s: RecurrentShape): RecurrentProgram {
  return frame('lstmBwd', s, ['REC', 'C0', 'KT', 'DREC'], ['O', 'S'], '', `  let rec = 7u * n;
  let g4 = 4u * n;
${zeroScratch(3)}
${backwardSteps('g4', `        let ic = ${slot(1)};
        let iy = ${slot(2)};
        let dc = S[ic] + DREC[base + 4u * n];
        let dh = S[ih] + DREC[base + 5u * n];
        let dy = S[iy] + DREC[base + 6u * n];
        if (!real(row, t)) {
          // a padded step passes every gradient through to the step before
          O[zb] = 0.0; O[zb + n] = 0.0; O[zb + 2u * n] = 0.0; O[zb + 3u * n] = 0.0;
          S[ic] = dc; S[ih] = dh; S[iy] = dy;
          continue;
        }
        let i = REC[base];
        let f = REC[base + n];
        let g = REC[base + 2u * n];
        let o = REC[base + 3u * n];
        var cp: f32;
        if (t == 0u) { cp = C0[row * n + k]; } else { cp = REC[base - rec + 4u * n]; }
        let tc = th(REC[base + 4u * n]);
        let dht = dh + dy;
        let dct = dc + dht * o * (1.0 - tc * tc);
        O[zb] = dct * g * i * (1.0 - i);
        O[zb + n] = dct * cp * f * (1.0 - f);
        O[zb + 2u * n] = dct * i * (1.0 - g * g);
        O[zb + 3u * n] = dht * tc * o * (1.0 - o);
        S[ic] = dct * f;
        S[iy] = 0.0;`, `
    // a real step replaces h: the gradient of h_{t-1} is dz U^T (times the dropout mask)${gradProduct('g4', 'j * n + k',
    dzTerm('g4'), '          S[row * n + k] = acc[r] * dropAt(row, k);')}`)}
${copyOut('g4', 2)}`);
}

const ACTIVATION = `fn act(v: f32) -> f32 {
  let kind = p.flags >> 3u;
  if (kind == 0u) { return th(v); }
  if (kind == 1u) { return select(0.0, v, v > 0.0); }
  return v;
}
fn slope(a: f32) -> f32 {
  let kind = p.flags >> 3u;
  if (kind == 0u) { return 1.0 - a * a; }
  if (kind == 1u) { return select(0.0, 1.0, a > 0.0); }
  return 1.0;
}`;

/** Every step of a SimpleRNN: X [B, T, n], H0 [B, n], K [n, n] -> Y, the record [B, T, 2n]. */
export function simpleRnnForwardProgram(s: RecurrentShape): RecurrentProgram {
  return frame('rnnFwd', s, ['X', 'H0', 'K'], ['Y'], `${hPrevFn('Y', '2u', '0u')}\n${ACTIVATION}`, `  let rec = 2u * n;
${forwardSteps(`      var z = array<f32, ROWS>();
      for (var r = 0u; r < ROWS; r++) { z[r] = X[(min(r0 + r, B - 1u) * T + t) * n + k]; }
${hProduct('z', 'let w = K[j * n + k];')}
${eachRow(`        if (real(row, t)) {
          let h = act(z[r]);
          Y[base] = h;
          Y[base + n] = h;
        } else {
          Y[base] = hPrev(row, t, k);
          Y[base + n] = yPrev(base, rec, n, t);
        }`)}`)}`);
}

/** BPTT of the SimpleRNN: REC, KT [n, n], DREC -> O: dxp [B, T, n], dh0 [B, n]; S scratch [2, B, n] (dh, dy). */
export function simpleRnnBackwardProgram(s: RecurrentShape): RecurrentProgram {
  return frame('rnnBwd', s, ['REC', 'KT', 'DREC'], ['O', 'S'], ACTIVATION, `  let rec = 2u * n;
${zeroScratch(2)}
${backwardSteps('n', `        let iy = ${slot(1)};
        let dh = S[ih] + DREC[base];
        let dy = S[iy] + DREC[base + n];
        if (!real(row, t)) {
          O[zb] = 0.0;
          S[ih] = dh; S[iy] = dy;
          continue;
        }
        O[zb] = (dh + dy) * slope(REC[base]);
        S[iy] = 0.0;`, gradProduct('n', 'j * n + k', dzTerm('n'), '          S[row * n + k] = acc[r] * dropAt(row, k);'))}
${copyOut('n', 1)}`);
}

/**
 * Every step of a GRU: X [B, T, 3n], H0 [B, n], K [n, 3n], RB [3n] (resetAfter only) ->
 * Y, the record [B, T, 6n] (z, r, h~, q, h, y). Without resetAfter the candidate's product takes
 * r * h_{t-1} of every unit: a second barrier inside the step.
 */
export function gruForwardProgram(s: RecurrentShape, resetAfter: boolean): RecurrentProgram {
  const b = (off: string): string => `bias(${off} + k)`;
  // h~ then h_t and y_t of unit k, row `row`, from z (in the record) and the candidate's sum
  const finish = `        let hp = hPrev(row, t, k);
        let zg = Y[base];
        if (real(row, t)) {
          let h = hh + zg * (hp - hh);
          Y[base + 4u * n] = h;
          Y[base + 5u * n] = h;
        } else {
          Y[base + 4u * n] = hp;
          Y[base + 5u * n] = yPrev(base, rec, 5u * n, t);
        }`;
  const phases = resetAfter ? [`      var a = array<vec3<f32>, ROWS>();
      for (var r = 0u; r < ROWS; r++) { a[r] = vec3<f32>(${b('0u')}, ${b('n')}, ${b('2u * n')}); }
${hProduct('a', `let kb = j * g3 + k;
        let w = vec3<f32>(K[kb], K[kb + n], K[kb + 2u * n]);`)}
${eachRow(`        let xb = (row * T + t) * g3 + k;
        let rg = sigm(X[xb + n] + a[r].y);
        Y[base] = sigm(X[xb] + a[r].x);
        Y[base + n] = rg;
        Y[base + 3u * n] = a[r].z;
        let hh = th(X[xb + 2u * n] + rg * a[r].z);
        Y[base + 2u * n] = hh;
${finish}`)}`] : [`      var a = array<vec2<f32>, ROWS>();
${hProduct('a', `let kb = j * g3 + k;
        let w = vec2<f32>(K[kb], K[kb + n]);`)}
${eachRow(`        let xb = (row * T + t) * g3 + k;
        Y[base] = sigm(X[xb] + a[r].x);
        Y[base + n] = sigm(X[xb + n] + a[r].y);`)}`,
  // the candidate: (r * h_{t-1} dropped) U_h, with r of every unit written in the phase before
  `      var c = array<f32, ROWS>();
      for (var j = 0u; j < n; j++) {
        let w = K[j * g3 + 2u * n + k];
        for (var r = 0u; r < ROWS; r++) {
          let row = min(r0 + r, B - 1u);
          c[r] += Y[(row * T + t) * rec + n + j] * hPrev(row, t, j) * dropAt(row, j) * w;
        }
      }
${eachRow(`        let hh = th(X[(row * T + t) * g3 + 2u * n + k] + c[r]);
        Y[base + 2u * n] = hh;
        Y[base + 3u * n] = 0.0;
${finish}`)}`];
  // RB is bound (a placeholder without a bias) with resetAfter only: the other form has no recurrent bias
  return frame(`gruFwd:a${+resetAfter}`, s, ['X', 'H0', 'K', ...(resetAfter ? ['RB'] : [])], ['Y'],
    `${hPrevFn('Y', '6u', '4u')}${resetAfter ? `
fn bias(j: u32) -> f32 {
  if ((p.flags & 4u) == 0u) { return 0.0; }
  return RB[j];
}` : ''}`, `  let rec = 6u * n;
  let g3 = 3u * n;
${forwardSteps(...phases)}`);
}

/**
 * BPTT of the GRU: REC, H0, KT [3n, n], DREC -> O: dxp [B, T, 3n], dh0 [B, n]; S scratch [3, B, n]
 * (dh, which holds dh_t + dy_t once a real step's gate gradients are out; dy; g = dc U_h^T).
 */
export function gruBackwardProgram(s: RecurrentShape, resetAfter: boolean): RecurrentProgram {
  const recurrent = resetAfter ? `
    // dh_{t-1} = dht z + ([dz_z, dz_r, dc * r] U^T) * drop${gradProduct('g3', 'j * n + k', `          let row = min(r0 + r, B - 1u);
          var d = O[(row * T + t) * g3 + j];
          if (j >= 2u * n) { d *= REC[(row * T + t) * rec + j - n]; }
          acc[r] += d * w;`, '          S[row * n + k] = S[row * n + k] * REC[(row * T + t) * rec + k] + acc[r] * dropAt(row, k);')}` : `
    // g = dc U_h^T, then the reset gate's gradient of unit k${gradProduct('n', '(2u * n + j) * n + k', dzTerm('g3', '2u * n + '),
    `          let rg = REC[(row * T + t) * rec + n + k];
          O[(row * T + t) * g3 + n + k] = acc[r] * hPrev(row, t, k) * dropAt(row, k) * rg * (1.0 - rg);
          S[${slot(2)}] = acc[r];`)}
    storageBarrier();
    // dh_{t-1} = dht z + (g r + [dz_z, dz_r] U_zr^T) * drop${gradProduct('2u * n', 'j * n + k', dzTerm('g3'),
    `          let base = (row * T + t) * rec + k;
          let sg = S[${slot(2)}] * REC[base + n] + acc[r];
          S[row * n + k] = S[row * n + k] * REC[base] + sg * dropAt(row, k);`)}`;
  return frame(`gruBwd:a${+resetAfter}`, s, ['REC', 'H0', 'KT', 'DREC'], ['O', 'S'], hPrevFn('REC', '6u', '4u'),
    `  let rec = 6u * n;
  let g3 = 3u * n;
${zeroScratch(2)}
${backwardSteps('g3', `        let iy = ${slot(1)};
        let dh = S[ih] + DREC[base + 4u * n];
        let dy = S[iy] + DREC[base + 5u * n];
        if (!real(row, t)) {
          O[zb] = 0.0; O[zb + n] = 0.0; O[zb + 2u * n] = 0.0;
          S[ih] = dh; S[iy] = dy;
          continue;
        }
        let zg = REC[base];
        let hh = REC[base + 2u * n];
        let dht = dh + dy;
        S[ih] = dht;
        S[iy] = 0.0;
        O[zb] = dht * (hPrev(row, t, k) - hh) * zg * (1.0 - zg);
        let dc = dht * (1.0 - zg) * (1.0 - hh * hh);
        O[zb + 2u * n] = dc;${resetAfter ? `
        let rg = REC[base + n];
        O[zb + n] = dc * REC[base + 3u * n] * rg * (1.0 - rg);` : ''}`, recurrent)}
${copyOut('g3', 1)}`);
}
