/** CSV: the streaming parser, tables with labels, errors with file/line/column, streaming datasets, Kaggle digits. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvParser } from '../../src/data/csv_reader.js';
import { loadCsv, csvDataset } from '../../src/data/csv.js';
import { loadDigitRecognizerCsv, digitRecognizerDataset } from '../../src/data/digit_csv.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const root = mkdtempSync(join(tmpdir(), 'striate-csv-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
function file(text: string): string {
  const path = join(root, `t${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

test('CsvParser: quotes, escaped quotes, line breaks in cells, CRLF, any chunk boundary', () => {
  const text = 'a,b,c\r\n1,"x, y",3\n\n"he said ""hi""",2,"two\nlines"\n4,5,6';
  const expected = [
    { cells: ['a', 'b', 'c'], line: 1 },
    { cells: ['1', 'x, y', '3'], line: 2 },
    { cells: ['he said "hi"', '2', 'two\nlines'], line: 4 },
    { cells: ['4', '5', '6'], line: 6 },
  ];
  for (let size = 1; size <= text.length; size++) {
    const p = new CsvParser();
    const got = [];
    for (let i = 0; i < text.length; i += size) got.push(...p.push(text.slice(i, i + size)));
    got.push(...p.end());
    assert.deepEqual(got, expected, `chunks of ${size}`);
  }
  assert.deepEqual(new CsvParser(';').end(), []);
  assert.throws(() => new CsvParser('ab'), /delimiter must be one character/);
  const open = new CsvParser(',', 'f.csv');
  open.push('1,"unclosed\n2');
  assert.throws(() => open.end(), /f\.csv:1: a quoted cell is not closed before the end of the file/);
});

const iris = 'sepal,petal,species\n5.1,1.4,setosa\n6.2,4.5,versicolor\n5.0,1.3,setosa\n6.9,5.7,virginica\n';

test('loadCsv: features and labels by column name or index; text labels become sorted classes', async () => {
  const path = file(iris);
  const t = await loadCsv(path, { labelColumn: 'species' });
  assert.deepEqual(t.x.shape, [4, 2]);
  assert.ok(Math.abs(t.x.dataSync()[0] - 5.1) < 1e-6);
  assert.deepEqual(t.featureNames, ['sepal', 'petal']);
  assert.equal(t.labelName, 'species');
  assert.deepEqual(t.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.equal(t.y!.dtype, 'int32');
  assert.deepEqual(Array.from(t.y!.dataSync()), [0, 1, 0, 2]);
  const oneHot = await loadCsv(path, { labelColumn: 2, labels: 'oneHot', classNames: ['virginica', 'setosa', 'versicolor'] });
  assert.deepEqual(oneHot.y!.arraySync(), [[0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  const numeric = await loadCsv(file('y,a,b\n1,2,3\n0,4,5\n'), { labelColumn: 0 });
  assert.deepEqual(numeric.x.arraySync(), [[2, 3], [4, 5]]);
  assert.deepEqual(Array.from(numeric.y!.dataSync()), [1, 0]);
  assert.equal(numeric.classNames, null);
  const regression = await loadCsv(file('a,t\n1,0.5\n2,-1.25\n'), { labelColumn: 't', labels: 'number' });
  assert.deepEqual(Array.from(regression.y!.dataSync()), [0.5, -1.25]);
  const noHeader = await loadCsv(file('1,2\n3,4\n'), { hasHeader: false });
  assert.deepEqual(noHeader.featureNames, ['column1', 'column2']);
  assert.equal(noHeader.y, null);
  assert.equal(noHeader.count, 2);
  assert.equal((await loadCsv(path, { labelColumn: 'species', limit: 2 })).count, 2);
});

test('CSV errors name the file, line and column', async () => {
  const cases: [string, object, RegExp][] = [
    ['a,b,c\n1,2,3\n4,5\n', {}, /t\d+\.csv:3: expected 3 columns \(as in the header\), got 2/],
    ['a,b\n1,2\n3,x7\n', {}, /t\d+\.csv:3, column 2 \(b\): "x7" is not a number; expected a number/],
    ['a,b\n1,\n', {}, /:2, column 2 \(b\): the cell is empty/],
    ['a,b\n1,2\n3,NaN\n', {}, /:3, column 2 \(b\): NaN is not allowed; expected finite numbers/],
    ['a,b\n-Infinity,2\n', {}, /:2, column 1 \(a\): -Infinity is not allowed/],
    ['a,label\n1,2\n1,3\n', { labelColumn: 'label', numClasses: 3 }, /:3, column 2 \(label\): label 3 is out of range for 3 classes \(expected 0\.\.2\)/],
    ['a,label\n1,-1\n', { labelColumn: 'label' }, /:2, column 2 \(label\): label "-1" is not a class index/],
    ['a,label\n1,cat\n1,dog\n', { labelColumn: 'label', classNames: ['cat'] }, /:3, column 2 \(label\): label "dog" is not one of the class names \(cat\)/],
    ['a,b\n1,2\n', { labelColumn: 'c' }, /no column named "c"; the header has "a", "b"/],
    ['a,b\n1,2\n', { labelColumn: 5 }, /labelColumn 5 is not a column index; the file has 2 columns/],
    ['', {}, /the file is empty/],
  ];
  for (const [text, options, message] of cases) await assert.rejects(loadCsv(file(text), options), message, text);
  await assert.rejects(loadCsv(join(root, 'missing.csv')), /cannot read .*missing\.csv: no such file/);
});

test('csvDataset streams: rows arrive before the rest of the file is read, and iteration starts afresh', async () => {
  // 20,000 good rows, then a bad one near the end: reading the first rows must not reach it
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 20000; i++) rows.push(`${i},${i % 7},${i % 2}`);
  rows.push('1,oops,0');
  const path = file(rows.join('\n') + '\n');
  const ds = csvDataset(path, { labelColumn: 'label', chunkSize: 1024 });
  const first = await ds.take(3).toArray() as { xs: Tensor; ys: Tensor }[];
  assert.deepEqual(first.map((e) => Array.from(e.xs.dataSync())), [[0, 0], [1, 1], [2, 2]]);
  assert.deepEqual(first.map((e) => e.ys.dataSync()[0]), [0, 1, 0]);
  assert.equal(first[0].ys.dtype, 'int32');
  const again = await ds.batch(4).take(1).toArray() as { xs: Tensor; ys: Tensor }[];
  assert.deepEqual(again[0].xs.shape, [4, 2], 'a second iteration starts at the first row again');
  // only reading to the end meets the bad row, with its line number
  await assert.rejects(ds.forEachAsync(() => undefined), /:20002, column 2 \(x2\): "oops" is not a number/);
  const oneHot = await csvDataset(file(iris), { labelColumn: 'species', labels: 'oneHot', classNames: ['setosa', 'versicolor', 'virginica'] })
    .batch(4).toArray() as { ys: Tensor }[];
  assert.deepEqual(oneHot[0].ys.arraySync(), [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  await assert.rejects(csvDataset(file(iris), { labelColumn: 'species' }).toArray(), /label "setosa" is not a class index .*give classNames/);
  assert.throws(() => csvDataset(path, { labelColumn: 'label', labels: 'oneHot' }), /one-hot labels need numClasses or classNames/);
});

function digitCsv(labelled: boolean, rows: number[][]): string {
  const header = [...(labelled ? ['label'] : []), ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
  return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

function digitRow(label: number | null, hot: number): number[] {
  const px = new Array(784).fill(0);
  px[hot] = 255;
  px[hot + 1] = 51;
  return label === null ? px : [label, ...px];
}

test('Digit Recognizer CSV: training and test layouts as NHWC images in [0, 1]', async () => {
  const train = await loadDigitRecognizerCsv(file(digitCsv(true, [digitRow(7, 0), digitRow(2, 28 * 3 + 5)])));
  assert.deepEqual(train.xs.shape, [2, 28, 28, 1]);
  assert.deepEqual(Array.from(train.labels!.dataSync()), [7, 2]);
  const px = train.xs.dataSync();
  assert.equal(px[0], 1);
  assert.ok(Math.abs(px[1] - 0.2) < 1e-7);
  assert.equal(px[784 + 28 * 3 + 5], 1, 'row 3, column 5 of the second image');
  const testFile = await loadDigitRecognizerCsv(file(digitCsv(false, [digitRow(null, 10)])));
  assert.equal(testFile.labels, null);
  assert.equal(testFile.xs.dataSync()[10], 1);
  const streamed = await digitRecognizerDataset(file(digitCsv(true, [digitRow(3, 0), digitRow(4, 0)]))).batch(2).toArray() as { xs: Tensor; ys: Tensor }[];
  assert.deepEqual(streamed[0].xs.shape, [2, 28, 28, 1]);
  assert.deepEqual(Array.from(streamed[0].ys.dataSync()), [3, 4]);
});

test('Digit Recognizer CSV errors: header, pixel range, label, short row', async () => {
  const bad = digitRow(1, 0);
  bad[5] = 300;
  await assert.rejects(loadDigitRecognizerCsv(file(digitCsv(true, [digitRow(1, 0), bad]))), /:3, column 6 \(pixel4\): 300 is out of range; expected 0\.\.255/);
  await assert.rejects(loadDigitRecognizerCsv(file(digitCsv(true, [digitRow(12, 0)]))), /:2, column 1 \(label\): "12" is not a digit/);
  await assert.rejects(loadDigitRecognizerCsv(file(digitCsv(true, [digitRow(1, 0).slice(0, 700)]))), /:2: expected 785 columns \(as in the header\), got 700/);
  await assert.rejects(loadDigitRecognizerCsv(file('label,a,b\n1,2,3\n')), /expected the Digit Recognizer header label,pixel0,\.\.\.,pixel783 .*got label,a,b \(3 columns\)/);
});
