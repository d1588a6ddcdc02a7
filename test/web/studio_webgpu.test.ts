/**
 * The studio's backend choice in headless Chromium with WebGPU on SwiftShader: the model trains
 * a few steps on wasm, moves to webgpu with its weights (the held-out accuracy is the same
 * after the move), trains on, the page names the backend and its adapter, and it moves back.
 * Skipped, with the reason the page gives, where chromium's WebGPU finds no adapter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, browserSkip, launchStudio, WEBGPU_FLAGS } from './browser_helpers.js';

test('the studio trains on webgpu (SwiftShader) and keeps the model when the backend changes', {
  skip: browserSkip, timeout: 120_000,
}, async (t) => {
  const studio = await launchStudio(WEBGPU_FLAGS);
  try {
    const page = await studio.open('#/train');
    await page.waitForSelector('#train-backend[data-webgpu]', { timeout: 30_000 });
    const gpu = await page.$eval('#train-backend option[value="webgpu"]', (o) => ({ disabled: (o as HTMLOptionElement).disabled, why: o.getAttribute('title') }));
    if (gpu.disabled) {
      assert.match(await page.textContent('#train-backend-state') ?? '', /WebGPU: not available: /);
      return t.skip(`chromium's WebGPU cannot train here: ${gpu.why}`);
    }
    assert.equal(await page.getAttribute('#train-backend-state', 'data-backend'), 'wasm');
    const accuracy = async (): Promise<number> => Number(await page.textContent('#train-test-acc'));
    const steps = async (): Promise<string | null> => page.textContent('#train-steps');

    // a small model, so that the fallback kernels on SwiftShader keep this short
    await page.selectOption('#train-model', 'mlp');
    await page.waitForFunction(() => document.getElementById('train-steps')!.textContent === '0' && !document.body.dataset.trainState);
    await page.fill('#train-limit', '10');
    await page.click('#train-start');
    await page.waitForSelector('body[data-train-state="stopped"]', { timeout: 30_000 });
    const onWasm = await accuracy();
    assert.equal(await steps(), '10');

    await page.selectOption('#train-backend', 'webgpu');
    await page.waitForSelector('#train-backend-state[data-backend="webgpu"]', { timeout: 60_000 });
    const note = (await page.textContent('#train-backend-state'))!;
    t.diagnostic(note);
    assert.match(note, /Training runs on webgpu \(.+\)\. .*The weights after 10 steps came along; the optimizer starts afresh/);
    // the move re-evaluates (before it reports): the same weights give the same held-out accuracy
    // (float32 on another device: a digit or two may flip)
    assert.ok(Math.abs((await accuracy()) - onWasm) <= 0.005, `held-out accuracy ${onWasm} on wasm, ${await accuracy()} on webgpu`);
    assert.equal(await steps(), '10');

    await page.fill('#train-limit', '5');
    await page.click('#train-start');
    await page.waitForFunction(() => document.body.dataset.trainState === 'stopped' && document.getElementById('train-steps')!.textContent === '15',
      null, { timeout: 60_000 });
    const after = (await page.textContent('#train-backend-state'))!;
    t.diagnostic(`after 5 steps on webgpu: ${after}; loss ${await page.textContent('#train-loss')}`);
    assert.match(after, /^Training runs on webgpu \(/);
    assert.ok(Number.isFinite(Number(await page.textContent('#train-loss'))));
    fs.writeFileSync(path.join(artifacts, 'train-webgpu.png'), await page.screenshot({ fullPage: true }));

    const onGpu = await accuracy();
    await page.selectOption('#train-backend', 'wasm');
    await page.waitForSelector('#train-backend-state[data-backend="wasm"]', { timeout: 30_000 });
    assert.equal(await steps(), '15');
    assert.ok(Math.abs((await accuracy()) - onGpu) <= 0.005, `held-out accuracy ${onGpu} on webgpu, ${await accuracy()} back on wasm`);
    assert.deepEqual(studio.errors, []);
  } finally {
    await studio.close();
  }
});
