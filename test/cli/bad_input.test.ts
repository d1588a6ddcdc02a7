/**
 * Everything wrong a user can feed `striate` gets one plain message saying what was expected,
 * what came and where, a non-zero exit, and no stack trace (unless --verbose).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { hasStackTrace, idxBytes, runCli, tempDir, writeIdxFolder } from './helpers.js';

function fails(args: string[], pattern: RegExp, code = 1): string {
  const r = runCli(args);
  assert.equal(r.code, code, `exit code for ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
  assert.match(r.stderr, pattern);
  assert.ok(!hasStackTrace(r.stderr), `no stack trace expected:\n${r.stderr}`);
  return r.stderr;
}

test('an unknown option names itself and suggests the near one', () => {
  fails(['train', '--epoch', '3'], /unknown option --epoch \(did you mean --epochs\?\)/, 2);
  fails(['train', '--epochs', 'many'], /--epochs expects a whole number, got "many"/, 2);
  fails(['train', '--epochs'], /--epochs needs a value/, 2);
  fails(['trian'], /unknown command "trian" \(did you mean train\?\)/, 2);
  fails(['train', '--optimizer', 'adamm'], /--optimizer adamm: unknown; one of .*adam.*\(did you mean adam\?\)/, 2);
  fails(['train', '--model', 'resnet9000'], /--model resnet9000: not a model name \(digit-cnn, lenet5, mlp\) nor a file/);
});

test('a missing file or folder is named', () => {
  fails(['train', '--data', '/no/such/folder'], /--data \/no\/such\/folder: no such file or folder/);
  fails(['evaluate', '/no/such/model.json'], /\/no\/such\/model\.json/);
  fails(['train', '--resume', '/no/such/run'], /--resume \/no\/such\/run: no such run folder/);
});

test('--verbose adds the stack trace for those who want it', () => {
  const dir = tempDir();
  writeIdxFolder(dir);
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idxBytes([3], new Uint8Array(3)));
  const r = runCli(['train', '--data', dir, '--verbose']);
  assert.equal(r.code, 1);
  assert.ok(hasStackTrace(r.stderr), r.stderr);
});

test('IDX folders: corrupt gzip, truncated gzip, wrong magic, size against header, count mismatch', () => {
  const corrupt = tempDir();
  writeIdxFolder(corrupt, 16, true);
  const file = path.join(corrupt, 'train-images-idx3-ubyte.gz');
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 6] ^= 0xff; // the CRC no longer matches
  fs.writeFileSync(file, bytes);
  fails(['train', '--data', corrupt], /train-images-idx3-ubyte\.gz/);

  const truncated = tempDir();
  writeIdxFolder(truncated, 16, true);
  const t = path.join(truncated, 'train-labels-idx1-ubyte.gz');
  fs.writeFileSync(t, fs.readFileSync(t).subarray(0, 12));
  fails(['train', '--data', truncated], /train-labels-idx1-ubyte\.gz.*(truncated|gzip|corrupt|end)/i);

  const magic = tempDir();
  writeIdxFolder(magic, 16);
  fs.writeFileSync(path.join(magic, 'train-images-idx3-ubyte'), idxBytes([16, 8, 8], new Uint8Array(16 * 64), 0x0d));
  fails(['train', '--data', magic], /train-images-idx3-ubyte/);

  const short = tempDir();
  writeIdxFolder(short, 16);
  fs.writeFileSync(path.join(short, 'train-images-idx3-ubyte'), idxBytes([16, 8, 8], new Uint8Array(15 * 64)));
  fails(['train', '--data', short], /train-images-idx3-ubyte.*\b(bytes|values|size|header)/);

  const counts = tempDir();
  writeIdxFolder(counts, 16);
  fs.writeFileSync(path.join(counts, 'train-labels-idx1-ubyte'), idxBytes([15], new Uint8Array(15)));
  fails(['train', '--data', counts], /holds 16 images but .*train-labels-idx1-ubyte holds 15 labels/);

  const gzName = tempDir();
  writeIdxFolder(gzName, 16);
  fs.renameSync(path.join(gzName, 'train-images-idx3-ubyte'), path.join(gzName, 'train-images-idx3-ubyte.gz'));
  fails(['train', '--data', gzName], /named \.gz but is not gzip data/);
  assert.ok(gzipSync); // the fixtures above use real gzip streams
});
