/**
 * `st.node`: what @tensorflow/tfjs-node adds to TensorFlow.js that needs no native binary: image
 * codecs (PNG, JPEG, BMP) and TensorBoard logging. Node only (the Node entry exports it).
 */
export { decodeImage, decodePng, decodeJpeg, decodeBmp, encodePng, encodeJpeg } from '../data/image_codec.js';
export {
  tensorBoard, summaryFileWriter, SummaryFileWriter, TensorBoardCallback, type TensorBoardCallbackArgs,
} from '../train/tensorboard.js';
