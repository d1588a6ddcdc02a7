/**
 * Grids of small images ("tiles"): the shared drawing for filters, feature maps and heat maps.
 * A tile is a raster of RGB pixels plus a caption. The same tiles become either SVG (one
 * `<rect class="px">` per pixel, so a test can read each pixel's fill, or an embedded PNG when
 * the picture would otherwise be tens of thousands of elements) or one PNG file.
 */
// PNG encoding is pngjs's (a Node package): loaded only in Node, so the browser build of st.viz
// (whose SVGs need no encoder) imports no package
const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const pngjs = isNode ? (await import('pngjs')).default : null;
import { escapeXml, svgDocument } from './svg.js';

/** width x height pixels, RGB 0..255, row-major (3 bytes a pixel). */
export interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export interface Tile {
  raster: Raster;
  caption: string;
  /** extra attributes for the tile's group, e.g. the value range it was scaled from */
  data?: Record<string, string | number>;
}

export interface TileLayout {
  /** screen pixels per raster pixel; default: tiles about 64 pixels wide */
  pixelSize?: number;
  /** tiles per row; default about square */
  columns?: number;
  /** 'rects' (one element per pixel), 'png' (one embedded image per tile, Node only), or 'auto' (rects up to 4,096 pixels a grid, so files stay small; always rects in a browser) */
  pixels?: 'rects' | 'png' | 'auto';
}

/** min and max over the finite values (both 0 when there are none). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** Maps v in [lo, hi] to 0..255; a constant map (lo == hi) is drawn mid-grey rather than divided by zero. */
export function toByte(v: number, lo: number, hi: number): number {
  if (!(hi > lo)) return 128;
  return Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo)) * 255)));
}

/** A greyscale h x w raster of value(row, column), black at lo and white at hi. */
export function greyRaster(h: number, w: number, value: (i: number, j: number) => number, lo: number, hi: number): Raster {
  const rgb = new Uint8Array(h * w * 3);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const b = toByte(value(i, j), lo, hi);
      rgb.set([b, b, b], (i * w + j) * 3);
    }
  }
  return { width: w, height: h, rgb };
}

function pixelFill(r: Raster, k: number): string {
  return `rgb(${r.rgb[3 * k]},${r.rgb[3 * k + 1]},${r.rgb[3 * k + 2]})`;
}

/**
 * PNG bytes of a raster, each raster pixel drawn as scale x scale screen pixels.
 *
 * @example
 * ```ts
 * const png = st.viz.rasterToPng({ width: 1, height: 1, rgb: new Uint8Array([255, 0, 0]) });
 * console.log(png.subarray(1, 4).toString()); // 'PNG'
 * ```
 */
export function rasterToPng(r: Raster, scale = 1): Buffer {
  const s = Math.max(1, Math.floor(scale));
  const width = r.width * s;
  const height = r.height * s;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = Math.floor(y / s) * r.width + Math.floor(x / s);
      const o = (y * width + x) * 4;
      data[o] = r.rgb[3 * k];
      data[o + 1] = r.rgb[3 * k + 1];
      data[o + 2] = r.rgb[3 * k + 2];
      data[o + 3] = 255;
    }
  }
  if (!pngjs) throw new Error('viz: PNG output needs Node (it uses the pngjs package); in a browser use the SVG pictures');
  return pngjs.PNG.sync.write({ width, height, data });
}

interface Placed {
  columns: number;
  pixel: number;
  cellW: number;
  cellH: number;
}

function place(tiles: Tile[], layout: TileLayout): Placed {
  const maxW = Math.max(...tiles.map((t) => t.raster.width));
  const maxH = Math.max(...tiles.map((t) => t.raster.height));
  const pixel = layout.pixelSize ?? Math.max(1, Math.floor(64 / Math.max(maxW, maxH)));
  const columns = Math.max(1, Math.min(tiles.length, layout.columns ?? Math.ceil(Math.sqrt(tiles.length))));
  return { columns, pixel, cellW: Math.max(maxW * pixel, 48) + 10, cellH: maxH * pixel + 22 };
}

/** SVG elements for a grid of tiles with its top-left corner at (ox, oy); returns the size used. */
export function tileGridBody(tiles: Tile[], layout: TileLayout, ox: number, oy: number): { body: string[]; width: number; height: number } {
  if (tiles.length === 0) return { body: [], width: 0, height: 0 };
  const p = place(tiles, layout);
  const totalPixels = tiles.reduce((a, t) => a + t.raster.width * t.raster.height, 0);
  // in a browser there is no PNG encoder, so 'auto' stays with rects there (bigger, still correct)
  const asPng = layout.pixels === 'png' || ((layout.pixels ?? 'auto') === 'auto' && totalPixels > 4096 && pngjs !== null);
  const body: string[] = [];
  tiles.forEach((tile, n) => {
    const x0 = ox + (n % p.columns) * p.cellW;
    const y0 = oy + Math.floor(n / p.columns) * p.cellH;
    const attrs = Object.entries(tile.data ?? {}).map(([k, v]) => ` data-${k}="${escapeXml(String(v))}"`).join('');
    const r = tile.raster;
    body.push(`<g class="tile"${attrs}>`);
    body.push(`<text x="${x0}" y="${y0 + 12}" font-size="10">${escapeXml(tile.caption)}</text>`);
    const top = y0 + 16;
    if (asPng) {
      const href = `data:image/png;base64,${rasterToPng(r, 1).toString('base64')}`;
      body.push(`<image x="${x0}" y="${top}" width="${r.width * p.pixel}" height="${r.height * p.pixel}" ` +
        `image-rendering="pixelated" preserveAspectRatio="none" href="${href}"/>`);
    } else {
      for (let i = 0; i < r.height; i++) {
        for (let j = 0; j < r.width; j++) {
          body.push(`<rect class="px" x="${x0 + j * p.pixel}" y="${top + i * p.pixel}" width="${p.pixel}" height="${p.pixel}" fill="${pixelFill(r, i * r.width + j)}"/>`);
        }
      }
    }
    body.push(`<rect x="${x0}" y="${top}" width="${r.width * p.pixel}" height="${r.height * p.pixel}" fill="none" stroke="#888"/>`, '</g>');
  });
  const rows = Math.ceil(tiles.length / p.columns);
  return { body, width: p.columns * p.cellW, height: rows * p.cellH };
}

/** A whole SVG document: a title, a legend line, and the grid. */
export function tileGridSvg(title: string, legend: string, tiles: Tile[], layout: TileLayout = {}): string {
  const grid = tileGridBody(tiles, layout, 10, 44);
  const body = [
    `<text x="10" y="18" font-weight="bold">${escapeXml(title)}</text>`,
    `<text class="legend" x="10" y="34" font-size="11">${escapeXml(legend)}</text>`,
    ...grid.body,
  ];
  return svgDocument(Math.max(grid.width + 20, 7 * legend.length + 20), grid.height + 54, body, title);
}

/** One PNG of all tiles side by side in rows (no captions: PNG has no text), 2 pixels of white between tiles. */
export function tileGridPng(tiles: Tile[], layout: TileLayout = {}): Buffer {
  if (tiles.length === 0) throw new Error('viz: no tiles to draw as PNG');
  const p = place(tiles, layout);
  const gap = 2;
  const cw = Math.max(...tiles.map((t) => t.raster.width)) + gap;
  const ch = Math.max(...tiles.map((t) => t.raster.height)) + gap;
  const rows = Math.ceil(tiles.length / p.columns);
  const sheet: Raster = { width: p.columns * cw + gap, height: rows * ch + gap, rgb: new Uint8Array((p.columns * cw + gap) * (rows * ch + gap) * 3).fill(255) };
  tiles.forEach((tile, n) => {
    const x0 = gap + (n % p.columns) * cw;
    const y0 = gap + Math.floor(n / p.columns) * ch;
    const r = tile.raster;
    for (let i = 0; i < r.height; i++) {
      sheet.rgb.set(r.rgb.subarray(i * r.width * 3, (i + 1) * r.width * 3), ((y0 + i) * sheet.width + x0) * 3);
    }
  });
  return rasterToPng(sheet, p.pixel);
}
