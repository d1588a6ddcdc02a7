/**
 * The convolution explainer's sliding-window sweep in headless chromium (Debian's chromium via
 * playwright-core, as in studio.test.ts): Play fills the output cell by cell, Pause holds it,
 * Step moves exactly one cell, a new stride starts the fill over, and the page fits a phone.
 * Everything is asserted on what the page shows (its data- attributes and text), never on how
 * long something took. The screenshot goes to test-artifacts/web/conv.png (git-ignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, browserSkip, launchStudio } from './browser_helpers.js';

/** The row-major cell the window sits on after `filled` cells of a width-`ow` output. */
const cellOf = (filled: number, ow: number): string => `${Math.floor((filled - 1) / ow)},${(filled - 1) % ow}`;

test('the convolution explainer sweeps the window over the input', {
  skip: browserSkip,
  timeout: 60_000,
}, async (t) => {
  const studio = await launchStudio();
  const { server, browser, errors } = studio;
  try {
    const page = await studio.open('#/conv');
    await page.waitForSelector('#conv-out[data-checksum]', { timeout: 20_000 });
    const attr = async (name: string): Promise<string> => (await page.getAttribute('#conv-out', name))!;

    await t.test('it starts paused with the whole output shown', async () => {
      assert.equal(await attr('data-playing'), 'false');
      assert.equal(await attr('data-size'), '26x26');
      assert.equal(await attr('data-filled'), String(26 * 26));
      assert.equal(await page.textContent('#conv-play'), 'Play');
    });

    await t.test('Play fills the output cell by cell, the window moving along the rows', async () => {
      // record every cell the window visits, as the page announces it
      await page.evaluate(() => {
        const seen = new Set<string>();
        (window as unknown as { seenCells: Set<string> }).seenCells = seen;
        const out = document.getElementById('conv-out')!;
        new MutationObserver(() => seen.add(out.dataset.cell!)).observe(out, { attributeFilter: ['data-cell'] });
      });
      await page.selectOption('#conv-speed', 'fast');
      await page.click('#conv-play');
      assert.equal(await attr('data-playing'), 'true');
      assert.equal(await page.textContent('#conv-play'), 'Pause');
      await page.waitForFunction(() => {
        const out = document.getElementById('conv-out')!;
        return Number(out.dataset.filled) >= 30 && (window as unknown as { seenCells: Set<string> }).seenCells.size >= 5;
      }, null, { timeout: 20_000 });
      await page.click('#conv-play');
      assert.equal(await attr('data-playing'), 'false');
      const filled = Number(await attr('data-filled'));
      const seen = await page.evaluate(() => [...(window as unknown as { seenCells: Set<string> }).seenCells]);
      t.diagnostic(`paused at ${filled} of 676 cells, ${seen.length} window positions seen`);
      assert.ok(filled >= 30 && filled < 26 * 26, `filled ${filled}`);
      assert.ok(seen.includes('0,0') || seen.includes('0,1'), `the sweep starts at the top left: ${seen.slice(0, 5)}`);
      assert.ok(seen.some((c) => c.startsWith('1,')), 'the window went on to the second row');
      assert.equal(await attr('data-cell'), cellOf(filled, 26));
      // the products text follows the window
      assert.match((await page.textContent('#conv-cell'))!, new RegExp(`^output\\[${cellOf(filled, 26).replace(',', ', ')}\\] = `));
    });

    await t.test('paused, the window stays; Step moves it exactly one cell', async () => {
      const filled = Number(await attr('data-filled'));
      const cell = await attr('data-cell');
      // a few animation frames go by: a paused sweep must not move in them
      await page.evaluate(() => new Promise((done) => { let n = 0; const f = (): void => { if (++n < 10) requestAnimationFrame(f); else done(null); }; requestAnimationFrame(f); }));
      assert.equal(Number(await attr('data-filled')), filled);
      assert.equal(await attr('data-cell'), cell);
      await page.click('#conv-step');
      assert.equal(Number(await attr('data-filled')), filled + 1);
      assert.equal(await attr('data-cell'), cellOf(filled + 1, 26));
      assert.equal(await attr('data-playing'), 'false');
    });

    await t.test('the arrow keys move the paused window, and everything before it is filled', async () => {
      const filled = Number(await attr('data-filled'));
      await page.focus('#conv-out');
      await page.keyboard.press('ArrowDown');
      assert.equal(Number(await attr('data-filled')), filled + 26);
      assert.equal(await attr('data-cell'), cellOf(filled + 26, 26));
    });

    await t.test('stride 2 gives the formula\'s size and starts the fill over', async () => {
      await page.selectOption('#conv-stride', '2');
      assert.match((await page.textContent('#conv-formula'))!, /\(28 \+ 2·0 − 3\) \/ 2 \+ 1 = 13 \(rounded down\): 13 x 13/);
      assert.equal(await attr('data-size'), '13x13');
      assert.equal(await attr('data-filled'), '1');
      assert.equal(await attr('data-cell'), '0,0');
      await page.click('#conv-step');
      await page.click('#conv-step');
      assert.equal(await attr('data-filled'), '3');
      assert.equal(await attr('data-cell'), '0,2');
      fs.writeFileSync(path.join(artifacts, 'conv.png'), await page.screenshot({ fullPage: true }));
    });

    await t.test('played to the end, the sweep stops with the whole output shown', async () => {
      await page.click('#conv-play');
      await page.waitForSelector('#conv-out[data-playing="false"]', { timeout: 20_000 });
      assert.equal(await attr('data-filled'), String(13 * 13));
      assert.equal(await attr('data-cell'), '12,12');
      assert.equal(await page.textContent('#conv-play'), 'Play');
    });

    await t.test('at a 390 px phone width the page does not scroll sideways and clicks pick the right cell', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      fs.writeFileSync(path.join(artifacts, 'conv-phone.png'), await page.screenshot({ fullPage: true }));
      assert.ok(scrollWidth <= 395, `scrollWidth ${scrollWidth}`);
      await page.locator('#conv-out').scrollIntoViewIfNeeded();
      const box = (await page.locator('#conv-out').boundingBox())!;
      assert.ok(box.width < 390 - 16, `the output canvas is drawn ${box.width}px wide`);
      // the middle of the cell in row 10, column 3 of the 13 x 13 output, wherever CSS scaled it
      await page.mouse.click(box.x + 1 + ((3 + 0.5) / 13) * (box.width - 2), box.y + 1 + ((10 + 0.5) / 13) * (box.height - 2));
      assert.equal(await attr('data-cell'), '10,3');
    });

    await t.test('with reduced motion the sweep waits for the reader and starts slow', async () => {
      const context = await browser.newContext({ reducedMotion: 'reduce' });
      try {
        const calm = studio.watch(await context.newPage());
        await calm.goto(`${server.url}#/conv`);
        await calm.waitForSelector('#conv-out[data-checksum]', { timeout: 20_000 });
        assert.equal(await calm.getAttribute('#conv-out', 'data-playing'), 'false');
        assert.equal(await calm.inputValue('#conv-speed'), 'slow');
        await calm.click('#conv-step');
        assert.equal(await calm.getAttribute('#conv-out', 'data-filled'), '1');
        assert.equal(await calm.getAttribute('#conv-out', 'data-cell'), '0,0');
      } finally {
        await context.close();
      }
    });
    assert.deepEqual(errors, []);
  } finally {
    await studio.close();
  }
});
