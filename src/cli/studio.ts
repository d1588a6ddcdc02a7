/**
 * `striate studio`: serves the browser studio (dist/web, built by `npm run build`) from a small
 * static file server. It sends the cross-origin isolation headers (COOP same-origin, COEP
 * require-corp) because the wasm backend's worker pool needs SharedArrayBuffer, which browsers
 * only give isolated pages; without them the page still works, on one thread.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import type { Reporter } from './report.js';

export const STUDIO: CommandSpec = {
  name: 'studio',
  summary: 'open the browser studio: train digits live, draw digits, a 2-D playground, convolution',
  usage: '',
  positionals: [0, 0],
  options: [
    { name: 'port', type: 'int', valueName: 'n', default: 8080, help: 'port to listen on (0: any free port)' },
    { name: 'host', type: 'string', valueName: 'name', default: '127.0.0.1', help: 'address to listen on (0.0.0.0: every interface)' },
    { name: 'no-isolation', type: 'flag', help: 'leave out the isolation headers, to see the one-thread fallback' },
  ],
  examples: ['striate studio', 'striate studio --port 3000'],
};

/** dist/src/cli/studio.js -> dist/web */
export const STUDIO_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.bin': 'application/octet-stream', '.ico': 'image/x-icon',
};

export interface StudioServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function handle(root: string, isolate: boolean, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers: Record<string, string> = { ...(isolate ? ISOLATION : {}), 'Cache-Control': 'no-cache' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, headers).end('bad request path');
    return;
  }
  // resolve inside the root only: a request for ../ must not read the rest of the disk
  const file = path.join(root, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
  const target = file.endsWith(path.sep) ? path.join(file, 'index.html') : file;
  if (!target.startsWith(root)) {
    res.writeHead(403, headers).end('forbidden');
    return;
  }
  fs.stat(target, (err, stat) => {
    if (err || !stat.isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(target)] ?? 'application/octet-stream', 'Content-Length': stat.size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(target).pipe(res);
  });
}

/** Starts the server; resolves once it listens. */
export function startStudioServer(options: { port?: number; host?: string; root?: string; isolate?: boolean } = {}): Promise<StudioServer> {
  const root = path.resolve(options.root ?? STUDIO_ROOT) + path.sep;
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return Promise.reject(new CliError(`the studio is not built: ${root}index.html is missing; run "npm run build"`));
  }
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => handle(root, options.isolate ?? true, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new CliError(e.code === 'EADDRINUSE' ? `port ${options.port} is in use; pick another with --port` : e.message)));
    server.listen(options.port ?? 8080, host, () => {
      const port = (server.address() as { port: number }).port;
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({
        url: `http://${shown}:${port}/`,
        port,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}

export async function studio(options: OptionValues, say: Reporter): Promise<number> {
  const port = options.port as number;
  if (port < 0 || port > 65535) throw new CliError(`--port: expected 0-65535, got ${port}`, 2);
  const server = await startStudioServer({ port, host: options.host as string, isolate: !options['no-isolation'] });
  say.info(`striate studio: ${server.url}  (Ctrl-C to stop)`);
  say.result({ url: server.url, port: server.port });
  // serve until interrupted
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await server.close();
  return 0;
}
