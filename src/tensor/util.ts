/**
 * `st.util`: TensorFlow.js' small helpers on shapes, typed arrays and strings, for programs that
 * call them (`tf.util.shuffle`, `tf.util.assert`, `tf.util.createShuffledIndices`, ...).
 * Shuffles draw from striate's global seeded stream (`st.setSeed` makes them repeatable).
 */
export * from './util_arrays.js';
export * from './util_shapes.js';
export * from './util_text.js';
