// Scans, top-k and N-dimensional gather/scatter (task ids 77-82). Results match the reference
// kernels in src/backend/js/scan.ts and movement_nd.ts bit for bit:
// - cumulative sums and products run in f64 and round to f32 (or wrap to int32) on each store, as
//   the reference's JavaScript numbers do;
// - top-k orders entries by value (NaN above every number), equal values by index, so the k
//   chosen and their order are the same whatever the algorithm;
// - gather and scatter copy whole slices, and scatter's additions run in row order.

export const TASK_CUMULATIVE_F32 = 77, TASK_TOPK_F32 = 78, TASK_TOPK_I32 = 79, TASK_GATHER_ND = 80, TASK_SCATTER_ND = 81;
export const TASK_CUMULATIVE_I32 = 82;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function off(i: i32): usize {
  return (<usize>i) << 2;
}

// ---- cumulative sum and product (float32, int32) ----------------------------------------------

/**
 * An f64 running total as the reference's Int32Array stores it: modulo 2^32 (an integral total
 * is exact below 2^53, and past that it is what the reference's f64 total holds too), 0 for an
 * infinite or NaN total (a product that overflowed f64).
 */
@inline function toInt32(v: f64): i32 {
  if (!isFinite(v)) return 0;
  return <i32><u32>(v - Math.floor(v / 4294967296.0) * 4294967296.0);
}

@inline function put<T>(p: usize, v: f64): void {
  if (isFloat<T>()) store<f32>(p, <f32>v);
  else store<i32>(p, toInt32(v));
}

// args: x out outer n inner exclusive reverse prod per block
// The last axis (inner 1): chunks of `per` rows, one f64 running total each. Another axis:
// units (o, block of `block` inner positions), `per` a chunk, with the block's running totals
// in this thread's scratch; the inner index runs fastest, so reads and writes are contiguous.
function cumulativeChunk<T>(args: usize, chunk: i32, scratch: usize): void {
  const x = <usize>arg(args, 0), out = <usize>arg(args, 1), outer = arg(args, 2), n = arg(args, 3);
  const inner = arg(args, 4), exclusive = arg(args, 5) != 0, reverse = arg(args, 6) != 0, prod = arg(args, 7) != 0;
  const per = arg(args, 8), block = arg(args, 9);
  const start: f64 = prod ? 1 : 0;
  const first = reverse ? n - 1 : 0;
  if (inner == 1) {
    const r0 = chunk * per, r1 = min(outer, r0 + per);
    const step: isize = reverse ? -4 : 4;
    for (let r = r0; r < r1; r++) {
      let at = off(r * n + first);
      let acc = start;
      for (let k = 0; k < n; k++, at += step) {
        const v = <f64>load<T>(x + at);
        if (exclusive) put<T>(out + at, acc);
        acc = prod ? acc * v : acc + v;
        if (!exclusive) put<T>(out + at, acc);
      }
    }
    return;
  }
  const blocks = (inner + block - 1) / block;
  const units = outer * blocks;
  const u0 = chunk * per, u1 = min(units, u0 + per);
  const rowStep: isize = reverse ? -(<isize>off(inner)) : <isize>off(inner);
  for (let u = u0; u < u1; u++) {
    const o = u / blocks, j0 = (u - o * blocks) * block, width = min(inner, j0 + block) - j0;
    for (let j = 0; j < width; j++) store<f64>(scratch + ((<usize>j) << 3), start);
    let row = off((o * n + first) * inner + j0);
    for (let k = 0; k < n; k++, row += rowStep) {
      const src = x + row, dst = out + row;
      let j = 0;
      if (isFloat<T>()) for (; j + 2 <= width; j += 2) {
        const a = scratch + ((<usize>j) << 3);
        const v = f64x2.promote_low_f32x4(v128.load64_zero(src + off(j)));
        let acc = v128.load(a);
        if (exclusive) v128.store64_lane(dst + off(j), f32x4.demote_f64x2_zero(acc), 0);
        acc = prod ? f64x2.mul(acc, v) : f64x2.add(acc, v);
        v128.store(a, acc);
        if (!exclusive) v128.store64_lane(dst + off(j), f32x4.demote_f64x2_zero(acc), 0);
      }
      for (; j < width; j++) {
        const a = scratch + ((<usize>j) << 3);
        const v = <f64>load<T>(src + off(j));
        let acc = load<f64>(a);
        if (exclusive) put<T>(dst + off(j), acc);
        acc = prod ? acc * v : acc + v;
        store<f64>(a, acc);
        if (!exclusive) put<T>(dst + off(j), acc);
      }
    }
  }
}

// ---- top-k ------------------------------------------------------------------------------------

@inline function value<T>(x: usize, i: i32): f64 {
  return <f64>load<T>(x + ((<usize>i) << alignof<T>()));
}

/** Whether entry a of the row ranks before entry b: larger, NaN over a number, or equal and earlier. */
@inline function before<T>(row: usize, a: i32, b: i32): bool {
  const va = value<T>(row, a), vb = value<T>(row, b);
  if (va > vb) return true;
  if (va < vb) return false;
  if (va != va) {
    if (vb == vb) return true;
  } else if (vb != vb) {
    return false;
  }
  return a < b;
}

@inline function slot(heap: usize, i: i32): usize {
  return heap + off(i);
}

/** Puts `item` at slot `at` of a heap whose top is its weakest entry, restoring the order upwards. */
function siftUp<T>(row: usize, heap: usize, at: i32, item: i32): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const p = load<i32>(slot(heap, parent));
    if (before<T>(row, item, p)) break;
    store<i32>(slot(heap, at), p);
    at = parent;
  }
  store<i32>(slot(heap, at), item);
}

/** Puts `item` at the top of a heap of `size` and restores the order downwards. */
function siftDown<T>(row: usize, heap: usize, size: i32, item: i32): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    let c = load<i32>(slot(heap, child));
    if (child + 1 < size) {
      const d = load<i32>(slot(heap, child + 1));
      // the weaker child: the one ranking after the other
      if (before<T>(row, c, d)) {
        child++;
        c = d;
      }
    }
    if (!before<T>(row, item, c)) break;
    store<i32>(slot(heap, at), c);
    at = child;
  }
  store<i32>(slot(heap, at), item);
}

/** Sorts n i32 at p ascending (heapsort: no scratch needed). */
function sortIndices(p: usize, n: i32): void {
  for (let i = n >> 1; i-- > 0;) siftIndex(p, i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = load<i32>(slot(p, 0));
    store<i32>(slot(p, 0), load<i32>(slot(p, end)));
    store<i32>(slot(p, end), t);
    siftIndex(p, 0, end);
  }
}

function siftIndex(p: usize, at: i32, size: i32): void {
  const item = load<i32>(slot(p, at));
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && load<i32>(slot(p, child + 1)) > load<i32>(slot(p, child))) child++;
    const c = load<i32>(slot(p, child));
    if (c <= item) break;
    store<i32>(slot(p, at), c);
    at = child;
  }
  store<i32>(slot(p, at), item);
}

// args: x values indices rows n k sorted per
// Each row's k indices are chosen in a heap kept in the row's own slots of `indices` (the
// weakest of the best so far on top: O(n log k)), then ordered by rank (sorted) or by index.
function topKRows<T>(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), values = <usize>arg(args, 1), indices = <usize>arg(args, 2);
  const rows = arg(args, 3), n = arg(args, 4), k = arg(args, 5), sorted = arg(args, 6) != 0, per = arg(args, 7);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  const shift = alignof<T>();
  for (let r = r0; r < r1; r++) {
    const row = x + ((<usize>r * <usize>n) << shift);
    const heap = indices + off(r * k);
    for (let i = 0; i < k; i++) siftUp<T>(row, heap, i, i);
    for (let i = k; i < n; i++) {
      if (before<T>(row, i, load<i32>(heap))) siftDown<T>(row, heap, k, i);
    }
    if (sorted) {
      // heapsort by rank: the weakest goes to the end each time
      for (let end = k - 1; end > 0; end--) {
        const top = load<i32>(heap);
        const last = load<i32>(slot(heap, end));
        store<i32>(slot(heap, end), top);
        siftDown<T>(row, heap, end, last);
      }
    } else {
      sortIndices(heap, k);
    }
    const vals = values + ((<usize>r * <usize>k) << shift);
    for (let i = 0; i < k; i++) {
      const at = <usize>load<i32>(slot(heap, i));
      store<T>(vals + ((<usize>i) << shift), load<T>(row + (at << shift)));
    }
  }
}

// ---- gatherND / scatterND ---------------------------------------------------------------------

// args: x indices out rows depth slice elemBytes per total base mode kind | dims at word 16, strides at word 48
// (depth <= 32; slice and strides in elements). A row with a coordinate outside its axis names
// nothing: gather writes zeros, scatter drops it.
const DIMS = 16, STRIDES = 48;

/** Element offset of the slice named by row `row`, or -1 when a coordinate is out of range. */
@inline function sliceOffset(args: usize, indices: usize, row: i32, depth: i32): i32 {
  let offset = 0;
  const at = indices + off(row * depth);
  for (let j = 0; j < depth; j++) {
    const c = load<i32>(at + off(j));
    if (c < 0 || c >= arg(args, DIMS + j)) return -1;
    offset += c * arg(args, STRIDES + j);
  }
  return offset;
}

export function gatherNDChunk(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), indices = <usize>arg(args, 1), out = <usize>arg(args, 2);
  const rows = arg(args, 3), depth = arg(args, 4), eb = <usize>arg(args, 6), per = arg(args, 7);
  const bytes = <usize>arg(args, 5) * eb;
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  for (let r = r0; r < r1; r++) {
    const from = sliceOffset(args, indices, r, depth);
    const dst = out + <usize>r * bytes;
    if (from < 0) memory.fill(dst, 0, bytes);
    else memory.copy(dst, x + <usize>from * eb, bytes);
  }
}

/** One chunk: the base copy (or zeros), then every row in order. kind: 0 f32, 1 i32, 2 f64. */
export function scatterND(args: usize): void {
  const indices = <usize>arg(args, 1), updates = <usize>arg(args, 0), out = <usize>arg(args, 2);
  const rows = arg(args, 3), depth = arg(args, 4), slice = arg(args, 5), eb = <usize>arg(args, 6);
  const total = <usize>arg(args, 8) * eb, base = <usize>arg(args, 9), add = arg(args, 10) != 0, kind = arg(args, 11);
  if (base != 0) memory.copy(out, base, total);
  else memory.fill(out, 0, total);
  const bytes = <usize>slice * eb;
  for (let r = 0; r < rows; r++) {
    const to = sliceOffset(args, indices, r, depth);
    if (to < 0) continue;
    const dst = out + <usize>to * eb, src = updates + <usize>r * bytes;
    if (!add) {
      memory.copy(dst, src, bytes);
    } else if (kind == 0) {
      let i = 0;
      for (; i + 4 <= slice; i += 4) v128.store(dst + off(i), f32x4.add(v128.load(dst + off(i)), v128.load(src + off(i))));
      for (; i < slice; i++) store<f32>(dst + off(i), load<f32>(dst + off(i)) + load<f32>(src + off(i)));
    } else if (kind == 1) {
      let i = 0;
      for (; i + 4 <= slice; i += 4) v128.store(dst + off(i), i32x4.add(v128.load(dst + off(i)), v128.load(src + off(i))));
      for (; i < slice; i++) store<i32>(dst + off(i), load<i32>(dst + off(i)) + load<i32>(src + off(i)));
    } else {
      for (let i = 0; i < slice; i++) {
        const p = dst + ((<usize>i) << 3);
        store<f64>(p, load<f64>(p) + load<f64>(src + ((<usize>i) << 3)));
      }
    }
  }
}

export function scanGatherTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  switch (task) {
    case TASK_CUMULATIVE_F32: cumulativeChunk<f32>(args, chunk, scratch); break;
    case TASK_CUMULATIVE_I32: cumulativeChunk<i32>(args, chunk, scratch); break;
    case TASK_TOPK_F32: topKRows<f32>(args, chunk); break;
    case TASK_TOPK_I32: topKRows<i32>(args, chunk); break;
    case TASK_GATHER_ND: gatherNDChunk(args, chunk); break;
    case TASK_SCATTER_ND: scatterND(args); break;
  }
}
