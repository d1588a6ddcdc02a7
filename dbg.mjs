import { ready, tf, tfl } from './dist/test/io/tfjs_interop.js';
import * as H from './dist/test/nn/keras_files_helpers.js';
await ready();
const L = tfl.layers;
const s = tfl.sequential({layers:[L.reshape({targetShape:[4], inputShape:[4]}), L.categoryEncoding({ numTokens: 6, outputMode: 'count' })]});
console.log(JSON.stringify((await H.tfjsArtifacts(s)).modelTopology));
