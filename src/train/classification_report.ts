/**
 * Per-class results of a classifier: the confusion matrix (rows are true classes, columns are
 * predicted ones, as in scikit-learn and `tf.math.confusionMatrix`), precision, recall and F1.
 */

export interface ClassificationReport {
  /** matrix[true][predicted] = count */
  matrix: number[][];
  precision: number[];
  recall: number[];
  f1: number[];
  /** true samples per class */
  support: number[];
  accuracy: number;
}

/** Counts and per-class scores; a class never predicted (or never present) scores 0, as scikit-learn's default. */
export function classificationReport(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): ClassificationReport {
  if (labels.length !== predictions.length) {
    throw new Error(`classificationReport: ${labels.length} labels but ${predictions.length} predictions`);
  }
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predictions[i];
    if (!(Number.isInteger(t) && t >= 0 && t < numClasses) || !(Number.isInteger(p) && p >= 0 && p < numClasses)) {
      throw new Error(`classificationReport: sample ${i} has label ${t} and prediction ${p}; both must be classes 0..${numClasses - 1}`);
    }
    matrix[t][p]++;
    if (t === p) correct++;
  }
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = matrix[0].map((_, j) => matrix.reduce((a, row) => a + row[j], 0));
  const precision = matrix.map((row, k) => (predicted[k] ? row[k] / predicted[k] : 0));
  const recall = matrix.map((row, k) => (support[k] ? row[k] / support[k] : 0));
  const f1 = precision.map((p, k) => (p + recall[k] > 0 ? (2 * p * recall[k]) / (p + recall[k]) : 0));
  return { matrix, precision, recall, f1, support, accuracy: labels.length ? correct / labels.length : 0 };
}
