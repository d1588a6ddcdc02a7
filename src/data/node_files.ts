/**
 * Local files for the data sources (`FileDataSource`, `URLDataSource`, `data.csv` with a
 * `file://` path): installed by the Node entry, read in chunks so a large file streams.
 */
import { open } from 'node:fs/promises';
import { setLocalFileReader } from './sources.js';

async function* readChunks(path: string, offset: number, chunkSize: number): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new Error(`cannot read ${path}: no such file`);
    if (err.code === 'EISDIR') throw new Error(`cannot read ${path}: it is a folder`);
    throw new Error(`cannot read ${path}: ${err.message}`);
  }
  try {
    let position = offset;
    for (;;) {
      const buffer = new Uint8Array(chunkSize);
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EISDIR') throw new Error(`cannot read ${path}: it is a folder`);
    throw e;
  } finally {
    // also when the reader stops early (take(), break)
    await handle.close();
  }
}

setLocalFileReader(readChunks);
