/**
 * A model file names its weight shards; a hostile one could name `../../secret`, `/etc/passwd`,
 * `C:\x` or `https://elsewhere/x` to make a loader read (or send) what is not the model's. Every
 * loader checks the names here before it reads anything: a shard is a relative path inside the
 * model's folder, in plain or percent-encoded form. No `node:` import: the browser uses it too.
 */

/** Why `name` would leave the model's folder, or null when it stays inside. */
function escapeReason(name: string): string | null {
  if (name.includes('\0')) return 'it holds a NUL character';
  if (/^[/\\]/.test(name)) return 'it is an absolute path';
  if (/^[a-z]:/i.test(name)) return 'it starts with a drive letter';
  if (/^[a-z][a-z0-9+.-]*:/i.test(name)) return 'it is a URL with its own scheme, which may be another origin';
  if (name.split(/[/\\]/).includes('..')) return 'it goes up out of the folder with ".."';
  return null;
}

/**
 * Refuses a shard name that leaves the model's folder: `..` segments (also as `%2e%2e` and with
 * backslashes), absolute paths, drive letters, URLs with a scheme or a host of their own.
 * `where` names the model file in the message.
 */
export function checkShardPath(name: unknown, where: string): string {
  if (typeof name !== 'string' || name === '') {
    throw new Error(`${where}: the weights manifest names a shard ${JSON.stringify(name) ?? String(name)}; expected a file name beside the model file`);
  }
  // percent-encoding is undone as a URL would undo it (a few times: %252e%252e is %2e%2e once decoded)
  let form = name;
  for (let i = 0; i < 4; i++) {
    const reason = escapeReason(form);
    if (reason) {
      throw new Error(`${where}: the weights manifest names the shard ${JSON.stringify(name)}, which is outside the model's folder ` +
        `(${reason}); shard paths must be relative names inside it. Nothing was read`);
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(form);
    } catch {
      break;
    }
    if (decoded === form) break;
    form = decoded;
  }
  return name;
}

/** Checks every shard name of a manifest (and extra names, e.g. striate's optimizer shards) before any is read. */
export function checkManifestPaths(manifest: unknown, where: string, extra: unknown[] = []): void {
  if (manifest != null && !Array.isArray(manifest)) throw new Error(`${where}: weightsManifest must be a list of {paths, weights} groups`);
  for (const [i, group] of ((manifest ?? []) as { paths?: unknown }[]).entries()) {
    if (group === null || typeof group !== 'object' || !Array.isArray(group.paths)) {
      throw new Error(`${where}: weightsManifest[${i}] has no list of paths (expected {paths: [...], weights: [...]})`);
    }
    for (const p of group.paths) checkShardPath(p, where);
  }
  for (const p of extra) checkShardPath(p, where);
}

/**
 * Refuses a shard URL that is not under the folder of `baseUrl` on its origin (what a resolved
 * `..` or a host of its own would give), before it is fetched.
 */
export function checkShardUrl(url: string, baseUrl: string, where: string): void {
  let target: URL;
  let base: URL;
  try {
    base = new URL(baseUrl);
    target = new URL(url, base);
  } catch {
    return; // not absolute URLs (a fetchFunc of the program's own resolves them): the name checks stand
  }
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  if (target.origin !== base.origin) {
    throw new Error(`${where}: the weight shard ${url} is on another origin than ${baseUrl} (${target.origin}); refused, nothing was fetched`);
  }
  if (!target.pathname.startsWith(folder)) {
    throw new Error(`${where}: the weight shard ${url} resolves to ${target.pathname}, outside the model's folder ${folder}; refused, nothing was fetched`);
  }
}
