import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

test("digitCnn is the week-8 seed's network, with the seed's head or a classifier head", () => {
  const expectLayers = (m: st.LayersModel, head: [string, string, number][]) => {
    const rows = m.layers.map((l) => [l.className, JSON.stringify(l.computeOutputShape(l.nodes[l.nodes.length - 1].inputs[0].shape)), l.countParams()]);
    const body: [string, string, number][] = [
      ['Conv2D', '[null,28,28,8]', 208], ['MaxPooling2D', '[null,14,14,8]', 0], ['Dropout', '[null,14,14,8]', 0],
      ['Conv2D', '[null,14,14,16]', 1168], ['MaxPooling2D', '[null,7,7,16]', 0], ['Dropout', '[null,7,7,16]', 0],
      ['Flatten', '[null,784]', 0], ['Dense', '[null,256]', 200960], ['Dropout', '[null,256]', 0],
    ];
    assert.deepEqual(rows, [...body, ...head]);
  };
  expectLayers(st.models.digitCnn({ seedHead: true }), [['Dense', '[null,100]', 25700], ['Reshape', '[null,10,10,1]', 0]]);
  expectLayers(st.models.digitCnn(), [['Dense', '[null,10]', 2570]]);
});
