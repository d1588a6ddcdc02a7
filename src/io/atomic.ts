/**
 * Files that matter are written atomically: the bytes go to a temporary file beside the target,
 * are fsynced, and only then renamed over it, so a crash at any moment leaves the old file or the
 * new one whole, never half of each.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Writes `data` to `file` and fsyncs it (not atomic by itself: for fresh names). */
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

/** Makes a rename in `dir` durable; some platforms cannot fsync a folder, and the rename is still atomic. */
export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // nothing more can be done here
  }
}

/** Replaces `file` with `data` atomically (temp file, fsync, rename). */
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
