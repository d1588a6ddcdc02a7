/** st.nearestNeighbors against a brute-force search, on blocks, ties, ranks and bad input. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

/** Every distance in float64, sorted; ties by index. */
function bruteForce(refs: Float32Array, queries: Float32Array, d: number, k: number): { idx: number[]; dist: number[] }[] {
  const n = refs.length / d;
  const out = [];
  for (let q = 0; q < queries.length / d; q++) {
    const all = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += (queries[q * d + t] - refs[j * d + t]) ** 2;
      return { j, s: Math.sqrt(s) };
    }).sort((a, b) => a.s - b.s || a.j - b.j);
    out.push({ idx: all.slice(0, k).map((a) => a.j), dist: all.slice(0, k).map((a) => a.s) });
  }
  return out;
}

test('nearestNeighbors finds the brute-force k nearest, whatever the block size', () => {
  st.setSeed(11);
  const refs = st.randomNormal([203, 17]);
  const queries = st.randomNormal([45, 17]);
  const expected = bruteForce(refs.dataSync() as Float32Array, queries.dataSync() as Float32Array, 17, 4);
  for (const blockSize of [1, 7, 45, 256]) {
    const { indices, distances } = st.nearestNeighbors(refs, queries, 4, { blockSize });
    assert.deepEqual(indices.shape, [45, 4]);
    assert.equal(indices.dtype, 'int32');
    const idx = indices.dataSync();
    const dist = distances.dataSync();
    expected.forEach((e, q) => {
      assert.deepEqual(Array.from(idx.slice(q * 4, q * 4 + 4)), e.idx, `query ${q}, block ${blockSize}`);
      e.dist.forEach((v, t) => assert.ok(Math.abs(dist[q * 4 + t] - v) < 1e-4, `distance ${dist[q * 4 + t]} vs ${v}`));
    });
  }
});

test('nearestNeighbors flattens images, finds a row itself at distance 0 and breaks ties by index', () => {
  st.setSeed(12);
  const images = st.randomUniform([30, 4, 4, 1]);
  const { indices, distances } = st.nearestNeighbors(images, images.slice([10, 0, 0, 0], [3, 4, 4, 1]), 1);
  assert.deepEqual(Array.from(indices.dataSync()), [10, 11, 12]);
  assert.deepEqual(Array.from(distances.dataSync()), [0, 0, 0]);
  // two references at the same distance: the lower index comes first
  const tied = st.nearestNeighbors(st.tensor([[1, 0], [0, 1], [1, 0], [5, 5]]), st.tensor([[0, 0]]), 3);
  assert.deepEqual(Array.from(tied.indices.dataSync()), [0, 1, 2]);
  assert.deepEqual(Array.from(tied.distances.dataSync()), [1, 1, 1]);
});

test('nearestNeighbors says what it expected', () => {
  const refs = st.zeros([5, 3]);
  assert.throws(() => st.nearestNeighbors(refs, st.zeros([2, 4])), /queries have 4 features per row, references 3/);
  assert.throws(() => st.nearestNeighbors(refs, st.zeros([2, 3]), 6), /k must be an integer in \[1, 5\].*got 6/);
  assert.throws(() => st.nearestNeighbors(st.zeros([5]), st.zeros([2, 3])), /references must be \[n, \.\.\.features\], got \[5\]/);
  assert.throws(() => st.nearestNeighbors(refs, refs, 1, { blockSize: 0 }), /blockSize must be a positive integer, got 0/);
});
