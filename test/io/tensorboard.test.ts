/**
 * TensorBoard event files from st.node.summaryFileWriter and the st.node.tensorBoard fit
 * callback, decoded back here with a reader of our own (TFRecord framing, a bitwise CRC32C, and
 * the protobuf wire format with event.proto's field numbers), independent of the writer's
 * tables and descriptor. Python's tensorboard reads them too when it is installed.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { crc32c, maskedCrc32c } from '../../src/train/tfevents.js';
import { assertThrowsMessage } from '../helpers.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-tb-'));

/** CRC-32C bit by bit (no table), for checking the writer's. */
function slowCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const mask = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** The protobuf wire format: field number -> list of raw values (numbers for varints/fixed, bytes for length-delimited). */
function fields(buf: Uint8Array): Map<number, (number | bigint | Uint8Array)[]> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Map<number, (number | bigint | Uint8Array)[]>();
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >>> 3, key & 7];
    let value: number | bigint | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) { value = view.getFloat64(at, true); at += 8; }
    else if (wire === 5) { value = view.getFloat32(at, true); at += 4; }
    else if (wire === 2) { const n = Number(varint()); value = buf.subarray(at, at + n); at += n; }
    else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

interface Decoded { wallTime: number; step: number; fileVersion?: string; tag?: string; value?: number; histo?: Map<number, unknown[]> }

/** Reads an event file: checks every frame's length and CRCs, decodes Event {1 wall_time, 2 step, 3 file_version, 5 summary}. */
function readEventFile(file: string): Decoded[] {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Decoded[] = [];
  let at = 0;
  while (at < bytes.length) {
    const length = Number(view.getBigUint64(at, true));
    assert.equal(view.getUint32(at + 8, true), mask(slowCrc32c(bytes.subarray(at, at + 8))), `length CRC at ${at}`);
    const data = bytes.subarray(at + 12, at + 12 + length);
    assert.equal(data.length, length, `frame at ${at} is whole`);
    assert.equal(view.getUint32(at + 12 + length, true), mask(slowCrc32c(data)), `data CRC at ${at}`);
    at += 16 + length;
    const event = fields(data);
    const d: Decoded = { wallTime: event.get(1)![0] as number, step: Number(event.get(2)?.[0] ?? 0) };
    if (event.has(3)) d.fileVersion = new TextDecoder().decode(event.get(3)![0] as Uint8Array);
    if (event.has(5)) {
      const values = fields(event.get(5)![0] as Uint8Array).get(1)!;
      assert.equal(values.length, 1);
      const value = fields(values[0] as Uint8Array);
      d.tag = new TextDecoder().decode(value.get(1)![0] as Uint8Array);
      if (value.has(2)) d.value = value.get(2)![0] as number;
      if (value.has(5)) d.histo = fields(value.get(5)![0] as Uint8Array);
    }
    out.push(d);
  }
  return out;
}

function eventFile(dir: string): string {
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents'));
  assert.equal(files.length, 1, `one event file in ${dir}: ${files}`);
  return path.join(dir, files[0]);
}

test('CRC32C and its mask match the standard check value and a bitwise computation', () => {
  const digits = new TextEncoder().encode('123456789');
  assert.equal(crc32c(digits), 0xe3069283);
  for (const n of [0, 1, 8, 100, 1000]) {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    assert.equal(crc32c(data), slowCrc32c(data));
    assert.equal(maskedCrc32c(data), mask(slowCrc32c(data)));
  }
});

test('summaryFileWriter: a file_version event, then the scalars and histograms as written', () => {
  const dir = tmp();
  const writer = st.node.summaryFileWriter(dir);
  assert.equal(st.node.summaryFileWriter(dir), writer, 'one writer per folder');
  writer.scalar('loss', 0.75, 1);
  writer.scalar('loss', 0.5, 2);
  writer.scalar('acc', st.tensor(0.25), 2);
  writer.histogram('w', st.tensor([0, 1, 1, 2, 3, 3, 3, 4]), 2, 4);
  writer.flush();
  const file = eventFile(dir);
  assert.match(path.basename(file), /^events\.out\.tfevents\.\d+\..+\.v2$/);
  const events = readEventFile(file);
  assert.equal(events[0].fileVersion, 'brain.Event:2');
  assert.ok(Math.abs(events[0].wallTime - Date.now() / 1000) < 60);
  assert.deepEqual(events.slice(1, 4).map((e) => [e.tag, e.step, e.value]), [['loss', 1, 0.75], ['loss', 2, 0.5], ['acc', 2, 0.25]]);
  const h = events[4].histo!;
  assert.equal(events[4].tag, 'w');
  // a zero (the min here) may be left out, as proto3 readers take absent numbers as 0
  assert.deepEqual([1, 2, 3, 4, 5].map((f) => h.get(f)?.[0] ?? 0), [0, 4, 8, 17, 49], 'min max num sum sumSquares');
  // packed doubles: bucket limits and counts
  const doubles = (b: Uint8Array) => Array.from({ length: b.length / 8 }, (_, i) => new DataView(b.buffer, b.byteOffset).getFloat64(8 * i, true));
  assert.deepEqual(doubles(h.get(6)![0] as Uint8Array), [1, 2, 3, 4]);
  assert.deepEqual(doubles(h.get(7)![0] as Uint8Array), [1, 2, 1, 4]);
  assertThrowsMessage(() => writer.scalar('x', 1, 1.5), 'scalar "x": step must be an integer, got 1.5');
  assertThrowsMessage(() => writer.scalar('x', st.tensor([1, 2]), 1), 'scalar "x": expected a number or a one-element tensor');
});

test('the tensorBoard callback logs epoch and batch scalars under train/ and val/ as fit reports them', async () => {
  const dir = tmp();
  st.setSeed(5);
  const model = st.sequential({ layers: [st.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), st.layers.dense({ units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
  const xs = st.randomUniform([20, 2], -1, 1, 'float32', 1);
  const ys = st.randomUniform([20, 1], -1, 1, 'float32', 2);
  const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, validationSplit: 0.2, shuffle: false,
    callbacks: [st.node.tensorBoard(dir, { updateFreq: 'batch', histogramFreq: 2 })] });
  const train = readEventFile(eventFile(path.join(dir, 'train')));
  const val = readEventFile(eventFile(path.join(dir, 'val')));
  const series = (events: Decoded[], tag: string) => events.filter((e) => e.tag === tag).map((e) => [e.step, e.value]);
  const f32 = (v: number) => Math.fround(v);
  assert.deepEqual(series(train, 'epoch_loss'), history.history.loss.map((v, i) => [i + 1, f32(v as number)]));
  assert.deepEqual(series(train, 'epoch_mae'), history.history.mae.map((v, i) => [i + 1, f32(v as number)]));
  assert.deepEqual(series(val, 'epoch_loss'), history.history.val_loss.map((v, i) => [i + 1, f32(v as number)]));
  // 16 training samples in batches of 8: 2 batches an epoch, steps counted across epochs
  assert.deepEqual(series(train, 'batch_loss').map(([s]) => s), [1, 2, 3, 4, 5, 6]);
  assert.ok(!train.some((e) => e.tag === 'batch_batch' || e.tag === 'batch_size'), 'bookkeeping logs are not scalars');
  // histograms of every weight at epochs 1 and 3 (epoch indices 0 and 2)
  const histos = train.filter((e) => e.histo);
  assert.equal(histos.length, 2 * model.weights.length);
  assert.deepEqual([...new Set(histos.map((e) => e.step))], [1, 3]);

  // epoch-only logging by default
  const dir2 = tmp();
  await model.fit(xs, ys, { epochs: 2, batchSize: 10, callbacks: [st.node.tensorBoard(dir2)] });
  const only = readEventFile(eventFile(path.join(dir2, 'train')));
  assert.deepEqual(only.filter((e) => e.tag).map((e) => e.tag).sort(), ['epoch_loss', 'epoch_loss', 'epoch_mae', 'epoch_mae']);
  assert.equal(fs.existsSync(path.join(dir2, 'val')), false);

  assertThrowsMessage(() => st.node.tensorBoard(dir, { updateFreq: 'step' as never }), "tensorBoard: updateFreq must be 'batch' or 'epoch', got \"step\"");
  assertThrowsMessage(() => st.node.tensorBoard(dir, { histogramFreq: -1 }), 'tensorBoard: histogramFreq must be an integer >= 0, got -1');
  assertThrowsMessage(() => st.node.tensorBoard(dir, { updatefreq: 'batch' } as never), 'unknown option "updatefreq" for tensorBoard; did you mean "updateFreq"?');
});

const python = spawnSync('python3', ['-c', 'import tensorboard'], { encoding: 'utf8' });
const noTensorboard = python.status === 0 ? false : 'Python\'s tensorboard package is not installed here, so its reader is not run';
if (noTensorboard) console.log(`# tensorboard.test: ${noTensorboard}`);

test('Python\'s TensorBoard reads the scalars', { skip: noTensorboard }, () => {
  const dir = tmp();
  const writer = st.node.summaryFileWriter(dir);
  writer.scalar('epoch_loss', 0.5, 1);
  writer.scalar('epoch_loss', 0.25, 2);
  writer.flush();
  const script = `
import sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
acc = EventAccumulator(sys.argv[1]); acc.Reload()
print(",".join(f"{e.step}:{e.value}" for e in acc.Scalars("epoch_loss")))`;
  const run = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), '1:0.5,2:0.25');
});
