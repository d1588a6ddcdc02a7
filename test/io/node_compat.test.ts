/**
 * st.node's image codecs (tfjs-node's decodeImage/decodePng/decodeJpeg/decodeBmp/encodePng/
 * encodeJpeg): PNGs we encode decode to the same pixels (by us and by pngjs itself), channel
 * conversions, JPEG within its loss, BMP layouts, and the errors.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

/** A smooth test picture [h, w, c] with values 0..255 (smooth, so JPEG keeps it close). */
function picture(h: number, w: number, c: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) out.push(Math.round(127.5 + 127.5 * Math.sin((x * (k + 1)) / 7 + y / 5 + k)));
    }
  }
  return out;
}

const values = (t: st.Tensor) => Array.from(t.dataSync());

test('encodePng then decodePng gives back the same pixels, 1 to 4 channels; pngjs reads them too', async () => {
  for (const c of [1, 2, 3, 4]) {
    const pixels = picture(5, 7, c);
    const png = await st.node.encodePng(st.tensor(pixels, [5, 7, c], 'int32'));
    assert.ok(png instanceof Uint8Array);
    assert.equal(png[25], [0, 4, 2, 6][c - 1], `IHDR colour type for ${c} channels`);
    const back = st.node.decodePng(png);
    assert.deepEqual([...back.shape], [5, 7, c]);
    assert.equal(back.dtype, 'int32');
    assert.deepEqual(values(back), pixels, `${c} channels`);
    assert.deepEqual(values(st.node.decodeImage(png)), pixels, `decodeImage, ${c} channels`);
    // pngjs, independently, sees the same pixels (as RGBA)
    const read = pngjs.PNG.sync.read(Buffer.from(png));
    for (let p = 0; p < 35; p++) {
      const own = pixels.slice(p * c, p * c + c);
      const rgba = c === 1 ? [own[0], own[0], own[0], 255] : c === 2 ? [own[0], own[0], own[0], own[1]] : c === 3 ? [...own, 255] : own;
      assert.deepEqual(Array.from(read.data.subarray(4 * p, 4 * p + 4)), rgba, `pixel ${p}, ${c} channels`);
    }
  }
  // every zlib level makes a valid file with the same pixels; float tensors of whole numbers are fine
  const pixels = picture(4, 4, 3);
  for (const compression of [-1, 0, 9]) {
    assert.deepEqual(values(st.node.decodePng(await st.node.encodePng(st.tensor(pixels, [4, 4, 3]), compression))), pixels);
  }
});

test('decodePng converts channels: grey by libpng\'s weights, alpha added or dropped', async () => {
  const rgb = picture(3, 4, 3);
  const png = await st.node.encodePng(st.tensor(rgb, [3, 4, 3], 'int32'));
  const grey = values(st.node.decodePng(png, 1));
  const rgba = values(st.node.decodePng(png, 4));
  for (let p = 0; p < 12; p++) {
    const [r, g, b] = rgb.slice(3 * p, 3 * p + 3);
    assert.equal(grey[p], Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b), `grey pixel ${p}`);
    assert.deepEqual(rgba.slice(4 * p, 4 * p + 4), [r, g, b, 255]);
  }
  const greyPng = await st.node.encodePng(st.tensor(picture(2, 2, 1), [2, 2, 1], 'int32'));
  assert.deepEqual(values(st.node.decodePng(greyPng, 3)), picture(2, 2, 1).flatMap((v) => [v, v, v]));
  assert.deepEqual([...st.node.decodePng(greyPng, 2).shape], [2, 2, 2]);
});

test('encodeJpeg and decodeJpeg: pixels within JPEG\'s loss, the JFIF density, grey input', async () => {
  const pixels = picture(16, 24, 3);
  const bytes = await st.node.encodeJpeg(st.tensor(pixels, [16, 24, 3], 'int32'), '', 100);
  assert.deepEqual(Array.from(bytes.subarray(0, 3)), [0xff, 0xd8, 0xff]);
  assert.deepEqual(Array.from(bytes.subarray(13, 18)), [1, 300 >> 8, 300 & 255, 300 >> 8, 300 & 255], 'JFIF density 300 dpi');
  const back = st.node.decodeJpeg(bytes);
  assert.deepEqual([...back.shape], [16, 24, 3]);
  const got = values(back);
  const worst = Math.max(...got.map((v, i) => Math.abs(v - pixels[i])));
  assert.ok(worst <= 8, `quality 100 differs by up to ${worst}`);
  // jpeg-js on its own decodes the same pixels
  const direct = jpeg.decode(Buffer.from(bytes), { useTArray: true, formatAsRGBA: false });
  assert.deepEqual(got, Array.from(direct.data));
  assert.deepEqual(values(st.node.decodeImage(bytes)), got);
  // lower quality, smaller file
  const small = await st.node.encodeJpeg(st.tensor(pixels, [16, 24, 3], 'int32'), 'rgb', 20, false, false, true, 'cm', 72, 96);
  assert.ok(small.length < bytes.length);
  assert.deepEqual(Array.from(small.subarray(13, 18)), [2, 0, 72, 0, 96]);
  // a grey image: written with equal channels, read back as grey with channels 1
  const grey = picture(8, 8, 1);
  const greyJpeg = await st.node.encodeJpeg(st.tensor(grey, [8, 8, 1], 'int32'), 'grayscale', 100);
  const greyBack = values(st.node.decodeJpeg(greyJpeg, 1));
  assert.ok(Math.max(...greyBack.map((v, i) => Math.abs(v - grey[i]))) <= 8);
  const rgbBack = values(st.node.decodeJpeg(greyJpeg, 3));
  for (let p = 0; p < 64; p++) assert.ok(Math.abs(rgbBack[3 * p] - rgbBack[3 * p + 1]) <= 1);
});

/** A BMP file: 24-bit bottom-up or 32-bit top-down. */
function bmp(h: number, w: number, rgba: number[], bits: 24 | 32): Uint8Array {
  const row = Math.ceil((w * bits) / 32) * 4;
  const out = new Uint8Array(54 + row * h);
  const view = new DataView(out.buffer);
  out[0] = 0x42; out[1] = 0x4d;
  view.setUint32(2, out.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, w, true);
  view.setInt32(22, bits === 24 ? h : -h, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, bits, true);
  for (let y = 0; y < h; y++) {
    const fileRow = bits === 24 ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const [r, g, b, a] = rgba.slice(4 * (y * w + x), 4 * (y * w + x) + 4);
      const o = 54 + fileRow * row + x * (bits / 8);
      out[o] = b; out[o + 1] = g; out[o + 2] = r;
      if (bits === 32) out[o + 3] = a;
    }
  }
  return out;
}

test('decodeBmp reads 24-bit bottom-up and 32-bit top-down files', () => {
  const rgba = picture(3, 5, 4);
  const file24 = bmp(3, 5, rgba, 24);
  const rgb = rgba.filter((_, i) => i % 4 !== 3);
  assert.deepEqual(values(st.node.decodeBmp(file24)), rgb);
  assert.deepEqual([...st.node.decodeImage(file24).shape], [3, 5, 3]);
  assert.deepEqual(values(st.node.decodeBmp(bmp(3, 5, rgba, 32))), rgba);
  assert.deepEqual(values(st.node.decodeBmp(bmp(3, 5, rgba, 32), 3)), rgb);
  assertThrowsMessage(() => st.node.decodeBmp(file24.subarray(0, 60)), 'decodeBmp: the pixel data needs', 'truncated');
});

test('image codec errors name the call and what came', async () => {
  const png = await st.node.encodePng(st.tensor(picture(2, 2, 3), [2, 2, 3], 'int32'));
  assertThrowsMessage(() => st.node.decodeImage(png, 0, 'float32'), "decodeImage: only dtype 'int32' is supported");
  assertThrowsMessage(() => st.node.decodePng(png, 5), 'decodePng: channels must be one of 0, 1, 2, 3, 4, got 5');
  assertThrowsMessage(() => st.node.decodeJpeg(png), 'decodeJpeg: the bytes are not a JPEG');
  assertThrowsMessage(() => st.node.decodeImage(Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61])), 'decodeImage: GIF images are not supported');
  assertThrowsMessage(() => st.node.decodeImage(Uint8Array.from([1, 2, 3, 4])), 'expected a PNG, JPEG or BMP image, got bytes starting 01 02 03 04');
  assertThrowsMessage(() => st.node.decodePng(png.subarray(0, 40)), 'decodePng: cannot decode the PNG');
  assertThrowsMessage(() => st.node.decodeImage('x' as never), 'expected the file\'s bytes as a Uint8Array');
  await assert.rejects(st.node.encodePng(st.tensor([1, 2, 300], [1, 1, 3])), /encodePng: pixel values must be in 0\.\.255, got 300 at index 2/);
  await assert.rejects(st.node.encodePng(st.tensor([1, 2], [2])), /expected an image tensor \[height, width, channels\] with 1, 2, 3, 4 channels, got shape \[2\]/);
  await assert.rejects(st.node.encodeJpeg(st.tensor(picture(2, 2, 4), [2, 2, 4])), /encodeJpeg: expected an image tensor .* with 1, 3 channels, got shape \[2,2,4\]/);
  await assert.rejects(st.node.encodeJpeg(st.tensor(picture(2, 2, 3), [2, 2, 3]), '', 95, true), /progressive JPEGs are not supported/);
  await assert.rejects(st.node.encodeJpeg(st.tensor(picture(2, 2, 3), [2, 2, 3]), 'grayscale'), /format 'grayscale' needs an image with 1 channel/);
});
