/**
 * CategoryEncoding: integer category ids to fixed-size vectors, as a preprocessing layer:
 * 'oneHot' (one id per sample), 'multiHot' (1 for each id present) or 'count' (how often each
 * id occurs, optionally weighted).
 */
import { Tensor } from '../../tensor/tensor.js';
import { tensor } from '../../tensor/creation.js';
import { CallArgs, Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';

export type CategoryEncodingOutputMode = 'oneHot' | 'multiHot' | 'count';

export interface CategoryEncodingArgs extends LayerArgs {
  /** how many categories: ids must be in [0, numTokens) */
  numTokens: number;
  /** default 'multiHot' */
  outputMode?: CategoryEncodingOutputMode;
  /** Keras' option for a sparse output; only false (dense) is supported */
  sparse?: boolean;
}

export interface CategoryEncodingCallArgs extends CallArgs {
  /** with outputMode 'count': a weight per input id (the input's shape), summed instead of counting 1 */
  countWeights?: Tensor;
}

const MODES: CategoryEncodingOutputMode[] = ['oneHot', 'multiHot', 'count'];

export class CategoryEncoding extends Layer {
  readonly className = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: CategoryEncodingOutputMode;

  constructor(args: CategoryEncodingArgs) {
    super(args);
    if (!Number.isInteger(args?.numTokens) || args.numTokens <= 0) {
      throw this.error(`numTokens must be a positive integer, got ${JSON.stringify(args?.numTokens)}`);
    }
    const mode = args.outputMode ?? 'multiHot';
    if (!MODES.includes(mode)) {
      throw this.error(`outputMode must be ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(args.outputMode)}`);
    }
    if (args.sparse) throw this.error('sparse output is not supported (tensors here are dense); leave sparse false');
    this.numTokens = args.numTokens;
    this.outputMode = mode;
  }

  /** the ids as [rows, idsPerRow]: oneHot takes one id per sample ([batch] or [batch, 1]) */
  private rowsOf(s: Shape): Shape {
    if (s.length === 0) return [1, 1];
    if (this.outputMode === 'oneHot') {
      if (s.length === 1 || (s.length === 2 && s[1] === 1)) return [s[0], 1];
      throw this.error(`outputMode 'oneHot' expects one id per sample, [batch] or [batch, 1], got ${shapeString(s)}`);
    }
    if (s.length > 2) throw this.error(`expected ids of rank 1 or 2 ([batch, ids]), got ${shapeString(s)}`);
    return s.length === 1 ? [1, s[0]] : s;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    this.rowsOf(s);
    if (s.length === 0 || (s.length === 1 && this.outputMode !== 'oneHot')) return [this.numTokens];
    return [s[0], this.numTokens];
  }

  call(inputs: Tensor | Tensor[], args: CategoryEncodingCallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [rows, perRow] = this.rowsOf([...x.shape]) as number[];
    const weights = args.countWeights;
    if (weights !== undefined) {
      if (this.outputMode !== 'count') throw this.error(`countWeights applies to outputMode 'count' only, not '${this.outputMode}'`);
      if (!(weights instanceof Tensor) || weights.shape.join() !== x.shape.join()) {
        throw this.error(`countWeights must have the input's shape [${x.shape}], got ` +
          `${weights instanceof Tensor ? `[${weights.shape}]` : typeof weights}`);
      }
    }
    const ids = x.dataSync();
    const w = weights?.dataSync();
    const n = this.numTokens;
    const out = new Float32Array(rows * n);
    // preprocessing of integer ids, not a differentiable op: one pass over the ids
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= n) {
        throw this.error(`ids must be integers in [0, ${n}) (numTokens ${n}), got ${id} at flat index ${i} of input [${x.shape}]`);
      }
      const at = Math.floor(i / perRow) * n + id;
      if (this.outputMode === 'count') out[at] += w ? w[i] : 1;
      else out[at] = 1;
    }
    const shape = this.computeOutputShape([...x.shape]) as number[];
    return tensor(out, shape, 'float32');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode };
  }
}
