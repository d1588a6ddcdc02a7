/** The model zoo: architectures from the seeds, each a function with options. */
import { digitCnn } from './digit_cnn.js';
import { lenet5 } from './lenet5.js';
import { mlp } from './mlp.js';
import { vgg16, vgg19 } from './vgg.js';
import { resnet18, resnet50 } from './resnet.js';

export type { DigitCnnArgs } from './digit_cnn.js';
export type { Lenet5Args } from './lenet5.js';
export type { MlpArgs } from './mlp.js';
export type { VggArgs } from './vgg.js';
export type { ResNetArgs } from './resnet.js';
export type { ImageModelArgs } from './image_model.js';
export const models = { digitCnn, lenet5, mlp, vgg16, vgg19, resnet18, resnet50 };
