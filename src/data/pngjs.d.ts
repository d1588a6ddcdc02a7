/** The part of pngjs (a CommonJS package without bundled types) that the image loader uses. */
declare module 'pngjs' {
  interface DecodedPng {
    width: number;
    height: number;
    /** RGBA, 8 bits per channel, row-major */
    data: Uint8Array;
  }
  const pngjs: { PNG: { sync: { read(buffer: Buffer): DecodedPng; write(png: { width: number; height: number; data: Uint8Array }): Buffer } } };
  export default pngjs;
}
