/**
 * 'string' tensors in the ops that accept them. Backends store byte strings but run no kernel on
 * them; instead an op on strings runs its numeric self on int32 stand-ins and maps the result
 * back:
 *
 * - movement (slice, concat, tile, gather, transpose, where, ...): each element is numbered by
 *   its position, the op moves the numbers, and the output takes the byte strings the numbers
 *   name. Every check and every shape rule of the numeric op applies unchanged.
 * - comparison (equal, less, ...) and unique: each distinct text gets an id, in sorted order, so
 *   comparing ids compares texts (UTF-16 code units, JavaScript's `<`, as TensorFlow.js does).
 */
import { Tensor, decodeStrings } from '../tensor/tensor.js';
import { makeStringTensor, makeTensor, tidy } from '../tensor/engine.js';

/**
 * Runs a movement op on string tensors. `move` receives one int32 tensor per input, of that
 * input's shape, numbering its elements after those of the inputs before it, and returns the
 * numbers moved; the result holds the byte strings they name.
 */
export function moveStrings(inputs: readonly Tensor[], move: (positions: Tensor[]) => Tensor): Tensor {
  return moveStringsToMany(inputs, (positions) => [move(positions)])[0];
}

/** `moveStrings` for an op with several outputs (split, unstack). */
export function moveStringsToMany(inputs: readonly Tensor[], move: (positions: Tensor[]) => Tensor[]): Tensor[] {
  const table: Uint8Array[] = [];
  const positions = inputs.map((t) => {
    t.assertLive();
    const start = table.length;
    for (const bytes of t.backend.readStrings(t.dataId)) table.push(bytes);
    const p = new Int32Array(t.size);
    for (let i = 0; i < p.length; i++) p[i] = start + i;
    return makeTensor(p, t.shape, 'int32');
  });
  let moved: Tensor[] = [];
  try {
    // tidy: the numeric op's own intermediates (views, converted indices) go with the stand-ins
    moved = tidy(() => move(positions));
    // byte strings are never written after creation, so tensors may share them
    return moved.map((m) => makeStringTensor(Array.from(m.dataSync(), (at) => table[at]), m.shape));
  } finally {
    for (const t of [...positions, ...moved]) t.dispose();
  }
}

/**
 * Each tensor's texts as int32 ids into the sorted list of the distinct texts of all of them
 * (ids compare as the texts do), and that list.
 */
function textIds(inputs: readonly Tensor[]): { ids: Tensor[]; texts: string[] } {
  const decoded = inputs.map((t) => decodeStrings(t.backend.readStrings(t.dataId)));
  const texts = [...new Set(decoded.flat())].sort();
  const idOf = new Map(texts.map((s, i) => [s, i]));
  const ids = decoded.map((d, k) => makeTensor(Int32Array.from(d, (s) => idOf.get(s)!), inputs[k].shape, 'int32'));
  return { ids, texts };
}

/** A comparison (equal, less, ...) of two string tensors, as `compare` gives it on their text ids. */
export function compareStrings(a: Tensor, b: Tensor, compare: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const { ids } = textIds([a, b]);
  try {
    return tidy(() => compare(ids[0], ids[1]));
  } finally {
    for (const t of ids) t.dispose();
  }
}

/** unique on a string tensor, from `uniqueIds` (the numeric unique) on its text ids. */
export function uniqueStrings(x: Tensor, uniqueIds: (ids: Tensor) => { values: Tensor; indices: Tensor }):
  { values: Tensor; indices: Tensor } {
  const { ids, texts } = textIds([x]);
  let found: { values: Tensor; indices: Tensor } | null = null;
  try {
    found = tidy(() => uniqueIds(ids[0]));
    const encoder = new TextEncoder();
    const values = makeStringTensor(Array.from(found.values.dataSync(), (id) => encoder.encode(texts[id])), found.values.shape);
    return { values, indices: found.indices };
  } finally {
    ids[0].dispose();
    found?.values.dispose();
  }
}
