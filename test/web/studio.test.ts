/**
 * The studio in a real browser: Debian's chromium driven by playwright-core, headless, against
 * `striate studio`'s server on a free port. Trains a bounded number of steps, draws a digit,
 * changes a kernel preset and a toy set, and checks what the page shows. Screenshots go to
 * test-artifacts/web (git-ignored); with STRIATE_UPDATE_SCREENSHOT=1 the training page's also
 * replaces docs/studio.png (the README's picture), so that ordinary runs leave the tree clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import * as st from '../../src/index.js';
import { startStudioServer } from '../../src/cli/studio.js';
import { artifacts, browserSkip, built, launchStudio, repo } from './browser_helpers.js';

const TRAIN_STEPS = 80;

test('the studio server sends the isolation headers and stays inside its folder', { skip: built ? false : 'dist/web is not built (npm run build)' }, async () => {
  const server = await startStudioServer({ port: 0 });
  try {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await page.text(), /striate studio/);
    const wasm = await fetch(new URL('lib/backend/wasm/kernels.wasm', server.url));
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    await wasm.arrayBuffer();
    const missing = await fetch(new URL('nothing-here.js', server.url));
    assert.equal(missing.status, 404);
    await missing.text();
    const escape = await fetch(new URL('/%2e%2e/%2e%2e/package.json', server.url));
    assert.notEqual(escape.status, 200);
    await escape.text();
  } finally {
    await server.close();
  }
});

test('the studio in headless chromium: trains, predicts a drawing, convolves, draws regions', {
  skip: browserSkip,
  timeout: 150_000,
}, async (t) => {
  const studio = await launchStudio();
  const { browser, errors } = studio;
  try {
    const page = await studio.open('#/train');

    await t.test('the page is cross-origin isolated and the worker runs on more than one thread', async () => {
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await page.waitForSelector('#threads[data-threads]', { timeout: 30_000 });
      const threads = Number(await page.getAttribute('#threads', 'data-threads'));
      t.diagnostic(`worker threads: ${threads}`);
      assert.ok(threads >= 1);
    });

    await t.test(`training ${TRAIN_STEPS} steps lowers the loss and raises the accuracy on the page`, async () => {
      await page.fill('#train-limit', String(TRAIN_STEPS));
      await page.click('#train-start');
      await page.waitForSelector('body[data-train-state="stopped"]', { timeout: 90_000 });
      const curves = await page.$eval('#train-curves', (e) => ({ ...(e as HTMLElement).dataset }));
      const steps = Number(await page.textContent('#train-steps'));
      const rate = await page.textContent('#train-rate');
      const testAcc = Number(await page.textContent('#train-test-acc'));
      t.diagnostic(`steps ${steps}, loss ${curves.firstLoss} -> ${curves.lastLoss}, acc ${curves.firstAcc} -> ${curves.lastAcc}, held-out ${testAcc}, examples/s ${rate}`);
      assert.equal(steps, TRAIN_STEPS);
      assert.ok(Number(curves.lastLoss) < Number(curves.firstLoss) * 0.6, 'loss fell');
      assert.ok(Number(curves.lastAcc) > Number(curves.firstAcc) + 0.3, 'accuracy rose');
      assert.ok(testAcc > 0.6, `held-out accuracy ${testAcc}`);
      assert.equal(await page.locator('#train-filters canvas').count(), 8);
      assert.match(await page.innerHTML('#train-confusion'), /<svg/);
      // the current example's feature maps: the digit CNN's input, conv, pool, conv, pool and dense layers
      assert.equal(await page.getAttribute('#train-maps', 'data-step'), String(TRAIN_STEPS));
      const layers = await page.$$eval('#train-maps figure', (fs) => fs.map((f) => ({
        name: (f as HTMLElement).dataset.layer, maps: f.querySelectorAll('canvas').length, caption: f.querySelector('figcaption')!.textContent })));
      t.diagnostic(`train-page maps: ${layers.map((l) => `${l.caption}: ${l.maps}`).join('; ')}`);
      assert.deepEqual(layers.map((l) => l.maps), [1, 8, 8, 16, 16, 1, 1]);
      assert.match(layers[1].caption!, /Conv2D\) 28×28×8/);
      assert.match((await page.textContent('#train-example-caption'))!, /training example \d+: a \d, which the network reads as \d/);
      const shot = await page.screenshot({ fullPage: true });
      fs.writeFileSync(path.join(artifacts, 'train.png'), shot);
      if (process.env.STRIATE_UPDATE_SCREENSHOT === '1') fs.writeFileSync(path.join(repo, 'docs', 'studio.png'), shot);
    });

    await t.test('the trained model is saved in the browser (IndexedDB) and loaded back after a reset', async () => {
      const before = await page.textContent('#train-test-acc');
      await page.click('#train-load');
      await page.waitForSelector('#train-store[data-state="error"]', { timeout: 20_000 });
      assert.match(await page.textContent('#train-store') ?? '', /no model saved under this name in IndexedDB/);
      await page.click('#train-save');
      await page.waitForSelector('#train-store[data-state="saved"]', { timeout: 20_000 });
      assert.equal(await page.getAttribute('#train-store', 'data-step'), String(TRAIN_STEPS));
      await page.click('#train-reset');
      await page.waitForFunction(() => document.getElementById('train-test-acc')!.textContent === '–', null, { timeout: 20_000 });
      await page.click('#train-load');
      await page.waitForSelector('#train-store[data-state="loaded"]', { timeout: 20_000 });
      await page.waitForFunction((acc) => document.getElementById('train-test-acc')!.textContent === acc, before, { timeout: 20_000 });
      assert.equal(await page.textContent('#train-steps'), String(TRAIN_STEPS));
    });

    await t.test('the model downloads as TensorFlow.js files, and chosen files load back; a model for other data is refused', async () => {
      const before = await page.textContent('#train-test-acc');
      const downloads: string[] = [];
      const got = new Promise<void>((resolve) => {
        page.on('download', async (d) => {
          const file = path.join(artifacts, d.suggestedFilename());
          await d.saveAs(file);
          downloads.push(file);
          if (downloads.length === 2) resolve();
        });
      });
      await page.click('#train-download');
      await got;
      await page.waitForSelector('#train-store[data-state="downloaded"]', { timeout: 20_000 });
      assert.deepEqual(downloads.map((f) => path.basename(f)).sort(), ['striate-digits.json', 'striate-digits.weights.bin']);
      const json = JSON.parse(fs.readFileSync(downloads.find((f) => f.endsWith('.json'))!, 'utf8'));
      assert.equal(json.userDefinedMetadata.step, TRAIN_STEPS);
      assert.deepEqual(json.weightsManifest[0].paths, ['./striate-digits.weights.bin']);

      await page.click('#train-reset');
      await page.waitForFunction(() => document.getElementById('train-test-acc')!.textContent === '–', null, { timeout: 20_000 });
      await page.setInputFiles('#train-open', downloads);
      await page.waitForSelector('#train-store[data-state="loaded"]', { timeout: 20_000 });
      await page.waitForFunction((acc) => document.getElementById('train-test-acc')!.textContent === acc, before, { timeout: 20_000 });
      assert.equal(await page.textContent('#train-steps'), String(TRAIN_STEPS));

      // a model made in Node for 4 numbers is not a digit model: the page says why and keeps its own
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-studio-'));
      await st.models.mlp({ inputShape: [4], units: [3], classes: 2 }).save(`file://${other}`);
      await page.setInputFiles('#train-open', fs.readdirSync(other).map((f) => path.join(other, f)));
      await page.waitForSelector('#train-store[data-state="error"]', { timeout: 20_000 });
      assert.match((await page.textContent('#train-store'))!, /takes input \[4\] and gives 2 classes; the studio's digits need input \[28, 28, 1\] and 10 classes/);
      assert.equal(await page.textContent('#train-steps'), String(TRAIN_STEPS));
      await page.setInputFiles('#train-open', [path.join(other, 'model.json')]);
      await page.waitForFunction(() => /not among the chosen files/.test(document.getElementById('train-store')!.textContent ?? ''), null, { timeout: 20_000 });
    });

    await t.test('a drawn 1 comes back as the top class of three', async () => {
      await page.click('nav a[data-page="draw"]');
      const box = (await page.locator('#draw-canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
      await page.mouse.up();
      await page.waitForSelector('#draw-top li:nth-child(3)', { timeout: 20_000 });
      const top = await page.$$eval('#draw-top li', (items) => items.map((li) => ({
        digit: Number((li as HTMLElement).dataset.digit), text: li.textContent ?? '' })));
      t.diagnostic(`top 3: ${top.map((x) => x.text).join(' | ')}`);
      const percents = top.map((x) => Number(/([\d.]+)%/.exec(x.text)![1]));
      assert.ok(percents[0] >= percents[1] && percents[1] >= percents[2]);
      assert.equal(top[0].digit, 1);
      // each layer's maps of the drawing; the input's map is the 28x28 the model saw
      await page.waitForSelector('#draw-maps[data-layers="7"]', { timeout: 20_000 });
      assert.equal(await page.getAttribute('#draw-maps', 'data-maps'), String(1 + 8 + 8 + 16 + 16 + 1 + 1));
      const inkRows = await page.$eval('#draw-maps figure canvas', (c) => {
        const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
        const rows: number[] = [];
        for (let y = 0; y < 28; y++) {
          let ink = 0;
          for (let x = 0; x < 28; x++) ink += data[(y * 28 + x) * 4];
          if (ink > 0) rows.push(y);
        }
        return rows;
      });
      // a vertical stroke fitted into the middle 20x20: ink in rows 4 to 23, none at the top or bottom
      assert.ok(inkRows[0] >= 3 && inkRows[inkRows.length - 1] <= 24 && inkRows.length >= 18, `ink rows ${inkRows.join(',')}`);
      fs.writeFileSync(path.join(artifacts, 'draw.png'), await page.screenshot());
    });

    await t.test('the keyboard draws too: Delete clears, arrows move the pen, Space puts it down and lifts it', async () => {
      await page.focus('#draw-canvas');
      await page.keyboard.press('Delete');
      assert.equal(await page.locator('#draw-top li').count(), 0);
      for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowUp');
      await page.keyboard.press(' ');
      for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press(' ');
      await page.waitForSelector('#draw-top li:nth-child(3)', { timeout: 20_000 });
      assert.equal(await page.getAttribute('#draw-top li:first-child', 'data-digit'), '1');
      assert.equal(await page.isVisible('#draw-pen'), true);
    });

    await t.test('a kernel preset, stride and padding change the output', async () => {
      await page.click('nav a[data-page="conv"]');
      await page.waitForSelector('#conv-out[data-checksum]', { timeout: 20_000 });
      const identity = await page.getAttribute('#conv-out', 'data-checksum');
      assert.equal(await page.getAttribute('#conv-out', 'data-size'), '26x26');
      await page.selectOption('#conv-preset', 'edges');
      await page.waitForFunction((before) => document.getElementById('conv-out')!.dataset.checksum !== before, identity);
      await page.selectOption('#conv-stride', '2');
      await page.selectOption('#conv-pad', '1');
      assert.equal(await page.getAttribute('#conv-out', 'data-size'), '14x14');
      assert.match((await page.textContent('#conv-formula'))!, /\(28 \+ 2·1 − 3\) \/ 2 \+ 1 = 14/);
      // the explained cell: the arrow keys move it, and its nine products sum to st.conv2d's value
      await page.focus('#conv-out');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.getAttribute('#conv-out', 'data-cell'), '5,5');
      const text = (await page.textContent('#conv-cell'))!;
      const [, products, stated] = /= (.*) = (-?[\d.]+)$/.exec(text)!;
      const terms = products.split(' + ').map((term) => term.replace(/[()]/g, '').split('×').map(Number));
      assert.equal(terms.length, 9);
      const sum = terms.reduce((acc, [pixel, weight]) => acc + pixel * weight, 0);
      assert.ok(Math.abs(sum - Number(stated)) < 0.01, `${text}: the products sum to ${sum}`);
      assert.ok(Math.abs(Number(stated) - Number(await page.getAttribute('#conv-out', 'data-cell-value'))) < 1e-3);
      fs.writeFileSync(path.join(artifacts, 'conv.png'), await page.screenshot());
    });

    await t.test('changing the toy set redraws the regions and updates the URL', async () => {
      await page.click('nav a[data-page="playground"]');
      await page.waitForFunction(() => Number(document.getElementById('pg-canvas')!.dataset.redraws) >= 3, null, { timeout: 30_000 });
      const before = await page.$eval('#pg-canvas', (c) => (c as HTMLCanvasElement).toDataURL());
      await page.selectOption('#pg-set', 'twoSpirals');
      await page.waitForFunction(() => {
        const c = document.getElementById('pg-canvas')!;
        return c.dataset.set === 'twoSpirals' && Number(c.dataset.epochs) >= 8;
      }, null, { timeout: 30_000 });
      const after = await page.$eval('#pg-canvas', (c) => (c as HTMLCanvasElement).toDataURL());
      assert.notEqual(after, before);
      assert.match(page.url(), /set=twoSpirals/);
      fs.writeFileSync(path.join(artifacts, 'playground.png'), await page.screenshot());
    });

    await t.test('choosing another model resets training; the MLP trains and shows its first-layer weights', async () => {
      await page.click('nav a[data-page="train"]');
      await page.selectOption('#train-model', 'mlp');
      await page.waitForFunction(() => document.getElementById('train-steps')!.textContent === '0' && !document.body.dataset.trainState);
      await page.fill('#train-limit', '20');
      await page.click('#train-start');
      await page.waitForSelector('body[data-train-state="stopped"]', { timeout: 60_000 });
      assert.equal(await page.textContent('#train-steps'), '20');
      assert.match((await page.textContent('#train-filters-caption'))!, /28x28/);
      assert.equal(await page.locator('#train-filters canvas').count(), 8);
    });

    await t.test('every page fits a phone width', async () => {
      await page.setViewportSize({ width: 375, height: 800 });
      for (const name of ['train', 'draw', 'playground', 'conv']) {
        await page.click(`nav a[data-page="${name}"]`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        fs.writeFileSync(path.join(artifacts, `phone-${name}.png`), await page.screenshot());
        assert.ok(overflow <= 0, `the ${name} page is ${overflow}px wider than a 375px screen`);
      }
    });
    await t.test('without isolation headers the page says so and trains on one thread', async () => {
      const plain = await startStudioServer({ port: 0, isolate: false });
      const context = await browser.newContext();
      try {
        const single = studio.watch(await context.newPage());
        await single.goto(`${plain.url}#/train`);
        await single.waitForSelector('#threads[data-threads]', { timeout: 30_000 });
        assert.equal(await single.getAttribute('#threads', 'data-threads'), '1');
        assert.match((await single.textContent('#threads'))!, /not cross-origin isolated.*one thread/);
        // webgpu training reads values synchronously, which needs shared memory: offered disabled, with the reason
        await single.waitForSelector('#train-backend[data-webgpu]', { timeout: 30_000 });
        const gpu = await single.$eval('#train-backend option[value="webgpu"]', (o) => ({ disabled: (o as HTMLOptionElement).disabled, why: o.getAttribute('title') }));
        assert.equal(gpu.disabled, true);
        assert.match(gpu.why ?? '', /navigator\.gpu is undefined|cross-origin isolated/);
        assert.match((await single.textContent('#train-backend-state'))!, /Training runs on wasm\. WebGPU: not available: /);
        await single.fill('#train-limit', '10');
        await single.click('#train-start');
        await single.waitForSelector('body[data-train-state="stopped"]', { timeout: 60_000 });
        assert.equal(await single.textContent('#train-steps'), '10');
        t.diagnostic(`one thread: examples/s ${await single.textContent('#train-rate')}`);
      } finally {
        await context.close();
        await plain.close();
      }
    });
    assert.deepEqual(errors, []);
  } finally {
    await studio.close();
  }
});

test('striate studio prints its URL and serves until interrupted', { skip: built ? false : 'dist/web is not built' }, async () => {
  const child = spawn(process.execPath, [path.join(repo, 'bin', 'striate.js'), 'studio', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
  });
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
  await response.text();
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
});
