/**
 * One suite, a backend parameter: every other test file runs on the default backend (wasm
 * where it loads); this file runs the op, layer, optimizer, tensor and autograd suites again on
 * the reference `js` backend, so both backends pass the same assertions.
 */
import { setBackend } from '../../src/index.js';

setBackend('js');
await import('../ops/core.test.js');
await import('../ops/slicing.test.js');
await import('../ops/conv.test.js');
await import('../ops/activations.test.js');
await import('../ops/losses.test.js');
await import('../ops/normalization.test.js');
await import('../ops/fused.test.js');
await import('../ops/gradients.test.js');
await import('../ops/fused_layers.test.js');
await import('../ops/neighbors.test.js');
await import('../nn/layers.test.js');
await import('../nn/conv_layers.test.js');
await import('../nn/recurrent.test.js');
await import('../nn/masking.test.js');
await import('../nn/metrics.test.js');
await import('../nn/regularizers.test.js');
await import('../nn/constraints.test.js');
await import('../nn/initializers.test.js');
await import('../optim/optimizers.test.js');
await import('../tensor/creation.test.js');
await import('../tensor/print.test.js');
await import('../tensor/random.test.js');
await import('../autograd/autograd.test.js');
await import('../seeds/backprop.test.js');
