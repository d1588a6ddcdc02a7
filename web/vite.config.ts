/**
 * Builds the studio (web/) into dist/web. The library is not bundled: its compiled ES modules
 * (dist/src, built first by `npm run build`) are copied to dist/web/lib and imported from
 * there, so the wasm backend finds kernels.wasm and its pool's worker.js next to its own
 * modules exactly as it does in Node. The bundled MNIST digits are packed here into
 * dist/web/digits.bin: n images of 784 bytes (0-255), then n label bytes. `npm run dev:web`
 * serves the same paths from Vite's dev server.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const libDir = resolve(here, '../dist/src');
/** digits shipped to the page: 600 a class, enough to train and test on, under 5 MB */
const DIGITS_PER_CLASS = 600;
const PIXELS = 28 * 28;

/** `import ... from 'striate/browser'` stays an import, of the copied library. */
function externalLibrary(): Plugin {
  return {
    name: 'striate-external',
    enforce: 'pre',
    resolveId(id) {
      if (id === 'striate/browser') return { id: '/lib/browser.js', external: true };
      return null;
    },
  };
}

function libraryFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'cli') libraryFiles(path, out); // the command line is Node-only
    } else if (name.endsWith('.js') || name.endsWith('.wasm')) {
      out.push(path);
    }
  }
  return out;
}

/** Interleaved class by class, as the library's loader does, so any prefix is balanced. */
function packDigits(): Uint8Array {
  const require = createRequire(import.meta.url);
  const files = Array.from({ length: 10 }, (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
  const n = 10 * DIGITS_PER_CLASS;
  const bytes = new Uint8Array(n * PIXELS + n);
  for (let j = 0, i = 0; j < DIGITS_PER_CLASS; j++) {
    for (let d = 0; d < 10; d++, i++) {
      if ((j + 1) * PIXELS > files[d].length) throw new Error(`studio build: mnist digit ${d} has fewer than ${DIGITS_PER_CLASS} images`);
      for (let k = 0; k < PIXELS; k++) bytes[i * PIXELS + k] = Math.round(files[d][j * PIXELS + k] * 255);
      bytes[n * PIXELS + i] = d;
    }
  }
  return bytes;
}

/** `vite --config web/vite.config.ts` (npm run dev:web): the same /lib and /digits.bin, served live. */
function devAssets(): Plugin {
  let digits: Uint8Array | null = null;
  return {
    name: 'striate-studio-dev',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        let body: Uint8Array | null = null;
        let type = 'application/octet-stream';
        if (url === '/digits.bin') body = digits ??= packDigits();
        else if (url.startsWith('/lib/') && !url.includes('..')) {
          const file = join(libDir, url.slice('/lib/'.length));
          if (statSync(file, { throwIfNoEntry: false })?.isFile()) {
            body = readFileSync(file);
            type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
          }
        }
        if (!body) return next();
        res.setHeader('Content-Type', type);
        res.end(body);
      });
    },
  };
}

function studioAssets(): Plugin {
  return {
    name: 'striate-studio-assets',
    apply: 'build',
    generateBundle() {
      const files = libraryFiles(libDir);
      if (!files.some((f) => f.endsWith('browser.js'))) {
        throw new Error(`studio build: ${libDir}/browser.js is missing; compile the library first (npx tsc -p .)`);
      }
      for (const file of files) {
        this.emitFile({ type: 'asset', fileName: `lib/${relative(libDir, file)}`, source: readFileSync(file) });
      }
      this.emitFile({ type: 'asset', fileName: 'digits.bin', source: packDigits() });
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  plugins: [externalLibrary(), devAssets(), studioAssets()],
  // the worker pool needs SharedArrayBuffer, which only cross-origin isolated pages get
  optimizeDeps: { noDiscovery: true },
  server: {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    // /lib is served by devAssets, not transformed: Vite's eager pre-transform would only complain
    preTransformRequests: false,
  },
  worker: { format: 'es', plugins: () => [externalLibrary()] },
  build: { outDir: resolve(here, '../dist/web'), emptyOutDir: true, target: 'es2022' },
});
