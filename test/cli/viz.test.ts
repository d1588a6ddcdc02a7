/** `striate viz` and the pictures `striate train` leaves in its run folder. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pngjs from 'pngjs';
import { runCli, tempDir, writeIdxFolder } from './helpers.js';
import { assertWellFormed } from '../viz/xml.js';

test('train writes model-graph.svg and filters.svg; viz draws the graph, the filters and every layer for an image', () => {
  const dir = tempDir();
  writeIdxFolder(path.join(dir, 'quadrants'));
  const run = path.join(dir, 'run');
  const r = runCli(['train', '--data', path.join(dir, 'quadrants'), '--model', 'digit-cnn', '--epochs', '1', '--batch-size', '16', '--out', run]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /model-graph\.svg, filters\.svg, confusion-matrix\.svg, feature-maps\.svg/);
  // the first test sample drawn layer by layer (a group per layer), and the confusion matrix of the test split
  const runMaps = fs.readFileSync(path.join(run, 'feature-maps.svg'), 'utf8');
  assertWellFormed(runMaps);
  assert.match(runMaps, /feature maps of the first test sample \(class \d\)/);
  const confusion = fs.readFileSync(path.join(run, 'confusion-matrix.svg'), 'utf8');
  assertWellFormed(confusion);
  const graph = fs.readFileSync(path.join(run, 'model-graph.svg'), 'utf8');
  assertWellFormed(graph);
  const summary = fs.readFileSync(path.join(run, 'summary.txt'), 'utf8');
  const layers = summary.split('\n').filter((l) => /^ \S+ \(\w+\)\s+\(None/.test(l)).length;
  assert.equal((graph.match(/class="layer-box"/g) ?? []).length, layers + 1, 'a box per summary row and one for the input');
  const firstFilters = fs.readFileSync(path.join(run, 'filters.svg'), 'utf8');
  assertWellFormed(firstFilters);
  assert.match(firstFilters, /each filter scaled to its own range/);
  assert.equal((runMaps.match(/class="layer"/g) ?? []).length, layers + 1, 'a row of maps per layer and one for the input');
  const firstConv = summary.match(/^ (\S+) \(Conv2D\)\s+\(None, 8, 8, (\d+)\)/m);
  assert.ok(firstConv, summary);
  assert.equal((firstFilters.match(/class="tile"/g) ?? []).length, Number(firstConv[2]), 'one tile per filter of the first conv layer');

  // an 8x8 grey image lit in its top-left quadrant, as class 0 of the training data
  const image = new Uint8Array(8 * 8 * 4);
  for (let i = 0; i < 64; i++) {
    const lit = Math.floor(i / 8) < 4 && i % 8 < 4 ? 230 : 0;
    image.set([lit, lit, lit, 255], i * 4);
  }
  const imageFile = path.join(dir, 'quadrant.png');
  fs.writeFileSync(imageFile, pngjs.PNG.sync.write({ width: 8, height: 8, data: image }));
  const out = path.join(dir, 'pictures');
  const v = runCli(['viz', path.join(run, 'model'), '--input', imageFile, '--out', out, '--png', '--json']);
  assert.equal(v.code, 0, v.stderr);
  const result = JSON.parse(v.stdout) as { files: string[] };
  const convs = (summary.match(/\(Conv2D\)/g) ?? []).length;
  const maps = result.files.filter((f) => /^feature-maps-\d\d-.*\.svg$/.test(f));
  assert.equal(maps.length, layers + 1, 'a feature-map picture per layer, the input included');
  assert.equal(result.files.filter((f) => /^filters-.*\.svg$/.test(f)).length, convs);
  assert.equal(result.files.filter((f) => f.endsWith('.png')).length, convs + layers + 1);
  for (const f of result.files) {
    assert.ok(fs.existsSync(path.join(out, f)), f);
    if (f.endsWith('.svg')) assertWellFormed(fs.readFileSync(path.join(out, f), 'utf8'));
  }
  const input = fs.readFileSync(path.join(out, maps[0]), 'utf8');
  assert.match(input, /\(InputLayer\) \[batch, 8, 8, 1\]/);
  const fills = [...input.matchAll(/class="px"[^>]*fill="rgb\((\d+),/g)].map((m) => Number(m[1]));
  assert.deepEqual(fills.slice(0, 8), [255, 255, 255, 255, 0, 0, 0, 0], 'the lit quadrant white, the rest black');
  const bad = runCli(['viz', path.join(run, 'model'), '--input', path.join(dir, 'missing.png')]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /missing\.png/);
});
