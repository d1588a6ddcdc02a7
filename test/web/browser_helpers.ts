/**
 * What the studio's browser tests share: finding Debian's chromium, the reason to skip when it
 * or the built studio is missing, and a studio server with a headless browser whose pages'
 * errors are collected (each test ends by asserting there were none).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startStudioServer, STUDIO_ROOT, type StudioServer } from '../../src/cli/studio.js';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** screenshots and downloads of the browser tests (git-ignored) */
export const artifacts = path.join(repo, 'test-artifacts', 'web');

function findChromium(): string | null {
  const candidates = [process.env.STRIATE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null;
}

export const chromium = findChromium();
export const built = fs.existsSync(path.join(STUDIO_ROOT, 'index.html'));
/** node:test's `skip` for a test that needs chromium and the built studio */
export const browserSkip: string | false =
  !chromium ? 'no chromium binary (apt-get install chromium, or set STRIATE_CHROMIUM)' : !built ? 'dist/web is not built (npm run build)' : false;

export interface Studio {
  server: StudioServer;
  browser: Browser;
  /** page errors and console errors of every page opened or watched */
  errors: string[];
  /** A new 1100x1000 page at the studio's `hash` (e.g. '#/conv'). */
  open(hash: string): Promise<Page>;
  /** Collects a page's errors too (a page of another browser context). */
  watch(page: Page): Page;
  close(): Promise<void>;
}

/** Chromium's flags for WebGPU on SwiftShader (no GPU needed); the page must come from 127.0.0.1. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'];

export async function launchStudio(extraArgs: string[] = []): Promise<Studio> {
  const { chromium: driver } = await import('playwright-core');
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await startStudioServer({ port: 0 });
  const browser = await driver.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', ...extraArgs] });
  const errors: string[] = [];
  const watch = (page: Page): Page => {
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    return page;
  };
  return {
    server, browser, errors, watch,
    async open(hash) {
      const page = watch(await browser.newPage({ viewport: { width: 1100, height: 1000 } }));
      await page.goto(`${server.url}${hash}`);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
