/**
 * Netpbm images: PGM greyscale (P2 text, P5 binary; how the CMU face images are stored) and,
 * since they differ only in the channel count, PPM colour (P3, P6). Header: magic, width, height,
 * maximum value, separated by whitespace, with `#` comments; then the samples. Binary samples
 * are one byte when the maximum is below 256, else two bytes big-endian.
 */

/** A decoded image: samples in [0, 1], row-major, channels last. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

export function isPnm(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && [0x32, 0x33, 0x35, 0x36].includes(bytes[1]); // P2 P3 P5 P6
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/**
 * Decodes a P2/P3/P5/P6 file; `path` names it in errors.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('P3\n1 1\n255\n255 0 0\n'); // one red pixel
 * const image = st.data.decodePnm(bytes, 'red.ppm');
 * console.log(image.channels, Array.from(image.data)); // 3 [1, 0, 0]
 * ```
 */
export function decodePnm(bytes: Uint8Array, path: string): DecodedImage {
  if (!isPnm(bytes)) throw new Error(`${path}: not a PGM/PPM file (expected P2, P3, P5 or P6 at byte 0)`);
  const kind = bytes[1] - 0x30;
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  let pos = 2;
  /** The next whitespace-separated token of the header as a number (skipping # comments). */
  const token = (what: string): number => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos])) pos++;
      if (bytes[pos] !== 0x23) break; // '#': a comment to the end of the line
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
    }
    const start = pos;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) pos++;
    if (pos === start) {
      const found = pos < bytes.length ? `byte 0x${bytes[pos].toString(16).padStart(2, '0')}` : 'the end of the file';
      throw new Error(`${path}: expected the ${what} as a number at byte ${start}, found ${found}`);
    }
    return Number(new TextDecoder().decode(bytes.subarray(start, pos)));
  };
  const width = token('width');
  const height = token('height');
  const maxValue = token('maximum value');
  if (width < 1 || height < 1 || maxValue < 1 || maxValue > 65535) {
    throw new Error(`${path}: bad header: width ${width}, height ${height}, maximum value ${maxValue} ` +
      '(expected sizes >= 1 and a maximum value in 1..65535)');
  }
  const count = width * height * channels;
  const data = new Float32Array(count);
  if (kind === 2 || kind === 3) {
    for (let i = 0; i < count; i++) data[i] = token(`sample ${i} of ${count}`) / maxValue;
  } else {
    pos++; // exactly one whitespace byte separates the header from binary samples
    const wide = maxValue > 255;
    const need = count * (wide ? 2 : 1);
    if (bytes.length - pos < need) {
      throw new Error(`${path}: truncated: ${width}x${height}${channels === 3 ? ' RGB' : ''} with maximum ${maxValue} ` +
        `needs ${need} bytes of samples after the ${pos}-byte header, the file has ${bytes.length - pos}`);
    }
    if (wide) for (let i = 0; i < count; i++) data[i] = ((bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1]) / maxValue;
    else for (let i = 0; i < count; i++) data[i] = bytes[pos + i] / maxValue;
  }
  for (let i = 0; i < count; i++) {
    if (data[i] > 1) throw new Error(`${path}: sample ${i} is ${Math.round(data[i] * maxValue)}, above the maximum value ${maxValue}`);
  }
  return { width, height, channels, data };
}
