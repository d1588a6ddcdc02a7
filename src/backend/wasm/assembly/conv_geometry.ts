// The convolution geometry block the backend writes for the conv kernels: 15 i32 words at `g`,
// in Conv2DInfo's order, read with gi(g, WORD).
export const BATCH = 0, IN_H = 1, IN_W = 2, IN_C = 3, OUT_H = 4, OUT_W = 5, OUT_C = 6, FH = 7, FW = 8;
export const SH = 9, SW = 10, DH = 11, DW = 12, PAD_T = 13, PAD_L = 14;

@inline export function gi(g: usize, i: i32): i32 {
  return load<i32>(g + ((<usize>i) << 2));
}

/** Bytes of i floats. */
@inline export function off(i: i32): usize {
  return (<usize>i) << 2;
}

/**
 * The byte distance between the rows of a Winograd block's transformed data ([positions][T][C]):
 * `floats` in whole cache lines, one line more where the rows would fall in fewer than 8 of
 * L1's 64 sets (a line count sharing a factor of 16 or more with 64). A row a multiple of
 * 4 KiB apart (96 tiles x 32 channels is 12 KiB) puts all 36 rows of one tile in one set, so
 * the transforms, which write or read one vector in each row per tile, evict each other.
 */
@inline export function spreadRow(floats: i32): usize {
  const lines = (floats + 15) >> 4;
  return <usize>(((lines & 15) == 0 ? lines + 1 : lines) << 6);
}
