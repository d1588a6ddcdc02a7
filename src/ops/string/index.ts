/** `st.string` (TensorFlow.js' tf.string): ops on string tensors. */
export { stringNGrams } from './ngrams.js';
export { stringSplit, stringToHashBucketFast, staticRegexReplace } from './text.js';
