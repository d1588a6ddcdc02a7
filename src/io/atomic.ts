/**
 * Saving without ever leaving a torn file: data shards are written under fresh names (from their
 * hashes) and fsynced, then the small JSON file that points at them is written to a temp file,
 * fsynced and renamed into place. Only then are the previous save's shards removed. A crash at
 * any moment leaves the old save or the new one whole.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Writes `data` to `file` and fsyncs it. */
export function writeSynced(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data, 0, data.length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename in `dir` durable. */
export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  }
}

/** Replaces `file` with `data` atomically (temp file beside it, fsync, rename). */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    writeSynced(temp, data);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  syncDir(path.dirname(file));
}

/**
 * Writes `shards` and then `dir/name` (the JSON `text`) atomically; `shardsOf` lists the shard
 * paths a previous version of that JSON file names, which are removed once no longer used.
 */
export function commitSave(dir: string, name: string, text: string, shards: { path: string; data: Uint8Array }[],
  shardsOf: (previous: unknown) => string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const s of shards) writeSynced(path.join(dir, s.path), s.data);
  const target = path.join(dir, name);
  let previous: unknown = null;
  try {
    previous = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch {
    // no previous save (or an unreadable one): nothing to clean up
  }
  writeFileAtomic(target, text);
  const keep = new Set(shards.map((s) => s.path));
  let old: string[] = [];
  try {
    old = previous ? shardsOf(previous) : [];
  } catch {
    old = [];
  }
  for (const p of old) {
    // only plain names in this folder: a hand-edited manifest must not point the cleanup elsewhere
    if (typeof p === 'string' && !keep.has(p) && path.basename(p) === p) fs.rmSync(path.join(dir, p), { force: true });
  }
}
