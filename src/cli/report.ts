/**
 * How commands talk: plain lines for people, or with --json one JSON object on stdout for
 * scripts (progress and notes then go to stderr). And the evaluation shared by train and evaluate.
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../tensor/engine.js';
import { argMax } from '../ops/index.js';
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
