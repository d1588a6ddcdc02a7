/**
 * How commands talk: plain lines for people, or with --json one JSON object on stdout for
 * scripts (progress and notes then go to stderr). And the evaluation shared by train and evaluate.
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../tensor/engine.js';
import { argMax, softmax } from '../ops/index.js';
import { oneHot } from '../tensor/sequences.js';
import { classificationReport, type ClassificationReport } from '../train/classification_report.js';
import type { LabelledSet } from './data_source.js';

export interface Reporter {
  json: boolean;
  /** a line for people (stderr under --json) */
  info(line: string): void;
  /** the command's result (printed as JSON under --json) */
  result(value: unknown): void;
}

export function reporter(json: boolean): Reporter {
  return {
    json,
    info: (line) => (json ? process.stderr.write(`${line}\n`) : console.log(line)),
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 1)}\n`);
    },
  };
}

export interface Evaluation extends ClassificationReport {
  loss: number;
}

/** Loss, accuracy and per-class results of `model` on `set`, in batches. */
export function evaluateOn(model: LayersModel, set: LabelledSet, classNames: string[], batchSize = 256): Evaluation {
  const ys = oneHot(Array.from(set.labels), classNames.length, 1, 0, 'float32');
  const [loss] = (model.evaluate(set.x, ys, { batchSize }) as Tensor[]).map((t) => t.dataSync()[0]);
  ys.dispose();
  const predicted = tidy(() => argMax(model.predict(set.x, { batchSize }) as Tensor, -1)).dataSync() as Int32Array;
  return { loss, ...classificationReport(set.labels, predicted, classNames.length) };
}

/** Scores that do not look like probabilities (negative, or rows not summing to 1) are taken as logits. */
export function asProbabilities(out: Tensor): Tensor {
  return tidy(() => {
    const sums = out.sum(-1).dataSync();
    const isProb = out.min().dataSync()[0] >= 0 && Array.from(sums).every((s) => Math.abs(s - 1) < 1e-3);
    return isProb ? out.clone() : softmax(out);
  });
}

/**
 * Loss (categorical cross-entropy of the probabilities) and per-class results of any classifier
 * given as a batch `predict` function: what `evaluate` uses for graph models, which have no
 * compiled loss of their own.
 */
export function evaluatePredictions(predict: (x: Tensor) => Tensor, set: LabelledSet, classNames: string[], batchSize = 256): Evaluation {
  const n = set.labels.length;
  const predicted = new Int32Array(n);
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const probs = tidy(() => {
      const xb = set.x.slice([start, ...set.x.shape.slice(1).map(() => 0)], [size, ...set.x.shape.slice(1)]);
      return asProbabilities(predict(xb));
    });
    const k = probs.shape[probs.shape.length - 1];
    if (probs.shape.length !== 2 || k !== classNames.length) {
      const shape = probs.shape;
      probs.dispose();
      throw new Error(`the model outputs [${shape.join(', ')}] for a batch of ${size}, but the data has ${classNames.length} classes ` +
        `(expected [${size}, ${classNames.length}])`);
    }
    const values = probs.dataSync();
    for (let i = 0; i < size; i++) {
      const row = values.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
      predicted[start + i] = best;
      lossSum -= Math.log(Math.max(row[set.labels[start + i]], 1e-7));
    }
    probs.dispose();
  }
  return { loss: lossSum / Math.max(n, 1), ...classificationReport(set.labels, predicted, classNames.length) };
}
