/** The part of pngjs (a CommonJS package without bundled types) that the image loader and codecs use. */
declare module 'pngjs' {
  interface DecodedPng {
    width: number;
    height: number;
    /** RGBA, 8 bits per channel, row-major */
    data: Uint8Array;
    /** the file's colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA */
    colorType?: number;
    /** whether the file has alpha (an alpha channel or a tRNS chunk) */
    alpha?: boolean;
  }
  interface WriteOptions {
    colorType?: number;
    inputColorType?: number;
    bitDepth?: number;
    deflateLevel?: number;
  }
  const pngjs: { PNG: { sync: {
    read(buffer: Buffer): DecodedPng;
    write(png: { width: number; height: number; data: Uint8Array }, options?: WriteOptions): Buffer;
  } } };
  export default pngjs;
}
