// A 2-D convolution with stride and padding, on a 5x5 one-channel image (NHWC).
// Run: npm run build && node dist/examples/convolution.js
import * as st from 'striate';

const image = st.tensor([
  [0, 0, 0, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 1, 2, 1, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 0, 0, 0],
]).reshape([1, 5, 5, 1]);                      // [batch, height, width, channels]
const edges = st.tensor([
  [-1, -1, -1],
  [-1, 8, -1],
  [-1, -1, -1],
]).reshape([3, 3, 1, 1]);                      // [kh, kw, inChannels, outChannels]

// stride 2, one cell of zero padding on every side: (5 + 2 - 3) / 2 + 1 = 3
const out = st.conv2d(image, edges, 2, 1);
console.log('output shape', out.shape, '=', st.convOutputSize(5, 3, 2, 1));
out.reshape([3, 3]).print();
// 'same' padding keeps ceil(5 / 2) = 3, with TensorFlow's extra pad at the bottom/right
st.conv2d(image, edges, 2, 'same').reshape([3, 3]).print();
