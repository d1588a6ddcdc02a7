/** Cropping2D: removes rows and columns at the edges of images (the inverse of ZeroPadding2D). */
import { Tensor } from '../../tensor/tensor.js';
import { slice } from '../../ops/index.js';
import { Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';

export interface Cropping2DLayerArgs extends LayerArgs {
  /** n (all four edges), [rows, cols] (symmetric), or [[top, bottom], [left, right]] */
  cropping: number | [number, number] | [[number, number], [number, number]];
  /** 'channelsLast' (NHWC, default) or 'channelsFirst' (NCHW) */
  dataFormat?: 'channelsLast' | 'channelsFirst';
}

export class Cropping2D extends Layer {
  readonly className = 'Cropping2D';
  /** [[top, bottom], [left, right]] */
  readonly cropping: [[number, number], [number, number]];
  readonly dataFormat: 'channelsLast' | 'channelsFirst';

  constructor(args: Cropping2DLayerArgs) {
    super(args);
    const c = args?.cropping as unknown;
    const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
    const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(count);
    if (count(c)) this.cropping = [[c, c], [c, c]];
    else if (pair(c)) this.cropping = [[c[0], c[0]], [c[1], c[1]]];
    else if (Array.isArray(c) && c.length === 2 && c.every(pair)) this.cropping = [[c[0][0], c[0][1]], [c[1][0], c[1][1]]];
    else {
      throw this.error(`cropping must be a non-negative integer, [rows, cols] or [[top, bottom], [left, right]], ` +
        `got ${JSON.stringify(c)}`);
    }
    const f = args.dataFormat ?? 'channelsLast';
    if (f !== 'channelsLast' && f !== 'channelsFirst') {
      throw this.error(`dataFormat must be 'channelsLast' or 'channelsFirst', got ${JSON.stringify(args.dataFormat)}`);
    }
    this.dataFormat = f;
  }

  /** the axes of height and width */
  private spatialAxes(): [number, number] {
    return this.dataFormat === 'channelsLast' ? [1, 2] : [2, 3];
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const layout = this.dataFormat === 'channelsLast' ? '[batch, height, width, channels]' : '[batch, channels, height, width]';
    const s = [...singleShape(this, inputShape, 4, layout)];
    this.spatialAxes().forEach((axis, i) => {
      const d = s[axis];
      const [before, after] = this.cropping[i];
      if (d === null) return;
      if (before + after >= d) {
        throw this.error(`cropping ${JSON.stringify(this.cropping)} removes ${before + after} of ${d} ` +
          `${i === 0 ? 'rows' : 'columns'} of input ${shapeString(s)}, leaving none`);
      }
      s[axis] = d - before - after;
    });
    return s;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const begin = [0, 0, 0, 0];
    const size = [...x.shape];
    this.spatialAxes().forEach((axis, i) => {
      begin[axis] = this.cropping[i][0];
      size[axis] = x.shape[axis] - this.cropping[i][0] - this.cropping[i][1];
    });
    return slice(x, begin, size);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}
