/**
 * The studio's 2-D playground in headless chromium (Debian's chromium driven by playwright-core,
 * against `striate studio`'s server on a free port): a setup read from the address, one map per
 * hidden unit, a point added by clicking that lands in the address and survives a reload, a set
 * change that redraws, and a phone-width layout. The screenshot goes to test-artifacts/web.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, browserSkip, launchStudio } from './browser_helpers.js';
const SETUP = 'set=xor&hidden=4,3&act=tanh&lr=0.03&l2=0.001&dropout=0.1';

test('the 2-D playground in headless chromium: setup from the URL, unit maps, added points, phone width', {
  skip: browserSkip,
  timeout: 60_000,
}, async (t) => {
  const studio = await launchStudio();
  const { server, errors } = studio;
  const redrawsAtLeast = (n: number) => page.waitForFunction(
    (k) => Number(document.getElementById('pg-canvas')!.dataset.redraws) >= k, n, { timeout: 20_000 });
  const redraws = async () => Number(await page.getAttribute('#pg-canvas', 'data-redraws'));
  const page = await studio.open(`#/playground?${SETUP}`);
  try {

    await t.test('the controls show the setup in the address', async () => {
      assert.equal(await page.inputValue('#pg-set'), 'xor');
      assert.equal(await page.inputValue('#pg-hidden'), '4,3');
      assert.equal(await page.inputValue('#pg-act'), 'tanh');
      assert.equal(Number(await page.inputValue('#pg-lr')), 0.03);
      assert.equal(Number(await page.inputValue('#pg-l2')), 0.001);
      assert.equal(Number(await page.inputValue('#pg-l1')), 0);
      assert.equal(Number(await page.inputValue('#pg-dropout')), 0.1);
    });

    await t.test('the regions redraw as it trains, with one labelled map per hidden unit', async () => {
      await redrawsAtLeast(3);
      assert.equal(await page.getAttribute('#pg-units', 'data-units'), '7');
      assert.equal(await page.locator('#pg-units canvas').count(), 7);
      assert.equal(await page.locator('#pg-units figure').count(), 2);
      assert.equal(await page.getAttribute('#pg-units canvas >> nth=6', 'aria-label'),
        'layer 2, unit 3: its activation over the plane (blue positive, orange negative)');
      // a tanh unit's map is not one flat colour: the unit has a boundary somewhere in the square
      const colours = await page.$eval('#pg-units canvas', (c) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 60, 60).data;
        return new Set(Array.from({ length: 3600 }, (_, i) => `${d[4 * i]},${d[4 * i + 1]},${d[4 * i + 2]}`)).size;
      });
      assert.ok(colours > 10, `the first unit's map has ${colours} colours`);
      assert.equal(await page.getAttribute('#pg-canvas', 'data-points'), '200');
    });

    await t.test('a click adds a point of the chosen class, into the training data and the address', async () => {
      await page.selectOption('#pg-class', '1');
      const box = (await page.locator('#pg-canvas').boundingBox())!;
      const before = await redraws();
      await page.locator('#pg-canvas').click({ position: { x: box.width / 2, y: box.height / 2 } });
      assert.equal(await page.getAttribute('#pg-canvas', 'data-points'), '201');
      assert.match(await page.textContent('#pg-points') ?? '', /201 \(1 added\)/);
      // the middle of XOR's square is (0.5, 0.5), give or take a cell
      const [, x, y, c] = /[?&]pts=(-?[\d.]+),(-?[\d.]+),(\d)$/.exec(page.url())!;
      assert.ok(Math.abs(Number(x) - 0.5) < 0.05 && Math.abs(Number(y) - 0.5) < 0.05, `added at (${x}, ${y})`);
      assert.equal(c, '1');
      await redrawsAtLeast(before + 2); // training goes on with it, the model not restarted
      assert.ok(Number(await page.getAttribute('#pg-canvas', 'data-epochs')) > 8);
    });

    await t.test('the form and the arrow keys add points too, and a reload restores the added points', async () => {
      await page.fill('#pg-x', '-0.2');
      await page.fill('#pg-y', '1.1');
      await page.focus('#pg-y');
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('#pg-canvas', 'data-added'), '2');
      assert.match(page.url(), /pts=[\d.-]+,[\d.-]+,1;-0\.20,1\.10,1$/);
      // the arrow keys move a cross from the centre of XOR's square, (0.5, 0.5); Enter adds there
      await page.focus('#pg-canvas');
      const [lo, hi] = [Number(await page.getAttribute('#pg-x', 'min')), Number(await page.getAttribute('#pg-x', 'max'))];
      for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'Enter']) await page.keyboard.press(key);
      assert.equal(await page.getAttribute('#pg-canvas', 'data-added'), '3');
      const step = (hi - lo) / 20;
      const keyed = /;(-?[\d.]+),(-?[\d.]+),1$/.exec(page.url());
      const want = [(lo + hi) / 2 + 2 * step, (lo + hi) / 2 - step];
      // the page's bounds are shown to 2 decimals, hence the tolerance
      assert.ok(keyed && Math.abs(Number(keyed[1]) - want[0]) < 0.02 && Math.abs(Number(keyed[2]) - want[1]) < 0.02,
        `${page.url()} ends with the keyboard's point, about (${want[0].toFixed(2)}, ${want[1].toFixed(2)})`);
      await page.reload();
      await redrawsAtLeast(1);
      assert.equal(await page.getAttribute('#pg-canvas', 'data-added'), '3');
      assert.equal(await page.getAttribute('#pg-canvas', 'data-points'), '203');
      assert.equal(Number(await page.inputValue('#pg-l2')), 0.001);
      await page.click('#pg-clear');
      assert.equal(await page.getAttribute('#pg-canvas', 'data-added'), '0');
      assert.doesNotMatch(page.url(), /pts=/);
    });

    await t.test('changing the set redraws the regions and updates the URL', async () => {
      await redrawsAtLeast(3);
      const before = await page.$eval('#pg-canvas', (c) => (c as HTMLCanvasElement).toDataURL());
      await page.selectOption('#pg-set', 'circles');
      await page.waitForFunction(() => {
        const c = document.getElementById('pg-canvas')!;
        return c.dataset.set === 'circles' && Number(c.dataset.epochs) >= 8;
      }, null, { timeout: 20_000 });
      assert.notEqual(await page.$eval('#pg-canvas', (c) => (c as HTMLCanvasElement).toDataURL()), before);
      assert.match(page.url(), /set=circles&hidden=4,3&act=tanh&lr=0.03&l2=0.001&dropout=0.1$/);
      // leaving by the menu and coming back keeps the setup in the address
      await page.click('nav a[data-page="conv"]');
      await page.click('nav a[data-page="playground"]');
      // (the hash change is handled after the click returns, hence waiting for the address)
      await page.waitForURL(/#\/playground\?set=circles&hidden=4,3&act=tanh&lr=0.03&l2=0.001&dropout=0.1$/, { timeout: 5_000 });
      assert.equal(await page.inputValue('#pg-set'), 'circles');
    });

    await t.test('at phone widths nothing overflows and a tap on the scaled-down canvas lands where it was made', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      fs.writeFileSync(path.join(artifacts, 'playground.png'), await page.screenshot({ fullPage: true }));
      assert.ok(overflow <= 392, `the page is ${overflow}px wide on a 390px screen`);
      // on a narrower phone the 360-pixel canvas is drawn smaller, so a tap must be scaled back
      await page.setViewportSize({ width: 320, height: 700 });
      const narrow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(narrow <= 322, `the page is ${narrow}px wide on a 320px screen`);
      const box = (await page.locator('#pg-canvas').boundingBox())!;
      assert.ok(box.width < 330, `the regions are drawn ${box.width}px wide`);
      // a quarter of the way in from the top left is a quarter of the square from (lo, hi)
      // the locator waits for the canvas to hold still (the stats above it change as it trains)
      await page.locator('#pg-canvas').click({ position: { x: box.width / 4, y: box.height / 4 } });
      const tapped = /pts=(-?[\d.]+),(-?[\d.]+),\d$/.exec(page.url());
      assert.ok(tapped, `no point in ${page.url()} after a tap at ${JSON.stringify(box)}`);
      const [, x, y] = tapped;
      const lo = Number(await page.getAttribute('#pg-x', 'min')), hi = Number(await page.getAttribute('#pg-x', 'max'));
      const want = [lo + (hi - lo) / 4, hi - (hi - lo) / 4];
      assert.ok(Math.abs(Number(x) - want[0]) < 0.06 && Math.abs(Number(y) - want[1]) < 0.06,
        `tapped at (${x}, ${y}), expected about (${want[0].toFixed(2)}, ${want[1].toFixed(2)})`);
    });
    assert.deepEqual(errors, []);
  } finally {
    await studio.close();
  }
});
