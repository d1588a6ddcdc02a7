/**
 * model.save / st.loadLayersModel in a real browser (Debian's chromium through playwright-core):
 * localstorage:// and indexeddb:// round trips predict what the saved model predicts, the
 * stores use TensorFlow.js' key names, and downloads:// hands the browser two files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portableSha256 } from '../../src/io/hash.js';
import { sha256 } from '../../src/io/weight_data.js';
import { browserSkip, launchStudio } from './browser_helpers.js';

test('the browser\'s SHA-256 gives node:crypto\'s digests', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 100_000]) {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
    assert.equal(portableSha256(data), sha256(data), `${n} bytes`);
  }
});

test('model stores in headless chromium: localstorage, indexeddb, downloads', {
  skip: browserSkip,
  timeout: 120_000,
}, async () => {
  const studio = await launchStudio();
  try {
    const page = await studio.open('');
    const result = await page.evaluate(async () => {
      const st = await import('/lib/browser.js' as string);
      await st.ready();
      st.setSeed(3);
      const model = st.models.digitCnn();
      model.setUserDefinedMetadata({ classNames: ['zero', 'one'] });
      const x = st.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5);
      const want = Array.from(model.predict(x).dataSync());
      const out: Record<string, unknown> = {};
      for (const url of ['localstorage://digits', 'indexeddb://digits']) {
        await model.save(url);
        const loaded = await st.loadLayersModel(url);
        const got = Array.from((loaded.predict(x) as { dataSync(): Float32Array }).dataSync());
        out[url] = { maxDiff: Math.max(...got.map((v: number, i: number) => Math.abs(v - (want[i] as number)))), meta: loaded.getUserDefinedMetadata() };
      }
      out.keys = Object.keys(localStorage).sort();
      try {
        await st.loadLayersModel('localstorage://nothing');
      } catch (e) {
        out.missing = (e as Error).message;
      }
      return out;
    });
    for (const url of ['localstorage://digits', 'indexeddb://digits']) {
      const r = result[url] as { maxDiff: number; meta: { classNames: string[] } };
      assert.equal(r.maxDiff, 0, url);
      assert.deepEqual(r.meta.classNames, ['zero', 'one']);
    }
    assert.deepEqual(result.keys, ['info', 'model_metadata', 'model_topology', 'weight_data', 'weight_specs']
      .map((k) => `tensorflowjs_models/digits/${k}`));
    assert.match(String(result.missing), /localstorage:\/\/nothing: no model saved under this name in localStorage/);

    const downloads: string[] = [];
    const both = new Promise<void>((resolve) => page.on('download', (d) => {
      if (downloads.push(d.suggestedFilename()) === 2) resolve();
    }));
    await page.evaluate(async () => {
      const st = await import('/lib/browser.js' as string);
      await st.models.mlp({ inputShape: [4], units: [3], classes: 2 }).save('downloads://tiny');
    });
    await both;
    assert.deepEqual(downloads.sort(), ['tiny.json', 'tiny.weights.bin']);
  } finally {
    await studio.close();
  }
});
