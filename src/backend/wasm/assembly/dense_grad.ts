// ---- mlp speed area (issue 18): a dense layer's backward prologue in one pass ----
// The backward of activation(x W + b) starts from dy at the layer's output: dz = dy * (y > 0)
// for relu (dz = dy for linear) is what both products take, and the bias gradient is the sum of
// dz over the rows. Done op by op that is two passes over the [rows, n] gradient (the relu
// mask, then a reduction with its own partials); here one pass writes dz and adds each row into
// the column sums.
//
// Chunks are column blocks (all rows each), so every column's sum runs over the rows in order
// whatever the thread count: the same bits for any split.

export const TASK_DENSE_GRAD: i32 = 135;

@inline function word(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

// args: dy y dz db rows n per relu. relu 0: dz is not written (the caller uses dy), y unused.
export function denseGradChunk(args: usize, chunk: i32): void {
  const dy = <usize>word(args, 0), y = <usize>word(args, 1), dz = <usize>word(args, 2), db = <usize>word(args, 3);
  const rows = word(args, 4), n = word(args, 5), per = word(args, 6), relu = word(args, 7) != 0;
  const j0 = chunk * per, j1 = min(n, j0 + per);
  if (j0 >= j1) return;
  memory.fill(db + ((<usize>j0) << 2), 0, (<usize>(j1 - j0)) << 2);
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = (<usize>(i * n)) << 2;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const o = row + ((<usize>j) << 2);
      let g = v128.load(dy + o);
      if (relu) {
        // dy where y > 0, else dy * 0: the same values as the op-by-op reluGrad kernel
        g = v128.bitselect(g, f32x4.mul(g, zero), f32x4.gt(v128.load(y + o), zero));
        v128.store(dz + o, g);
      }
      const s = db + ((<usize>j) << 2);
      v128.store(s, f32x4.add(v128.load(s), g));
    }
    for (; j < j1; j++) {
      const o = row + ((<usize>j) << 2);
      let g = load<f32>(dy + o);
      if (relu) {
        g = load<f32>(y + o) > 0 ? g : g * 0;
        store<f32>(dz + o, g);
      }
      const s = db + ((<usize>j) << 2);
      store<f32>(s, load<f32>(s) + g);
    }
  }
}
