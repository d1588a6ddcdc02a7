/**
 * Feature maps on a page: one row per layer, one small canvas per channel, from the rasters
 * the worker drew with st.viz.mapTiles (so the studio and `striate viz` scale maps the same way).
 */
import type { LayerMaps } from './protocol';

/** Screen pixels per map pixel: maps about 84 px across (a one-row strip, like the 10 outputs, up to 240), at least 2 px a pixel. */
function zoom(width: number, height: number): number {
  const across = height === 1 ? 240 : 84;
  return Math.max(2, Math.min(12, Math.floor(across / Math.max(width, height))));
}

function shapeText(shape: number[]): string {
  return shape.join('×');
}

/** Replaces the container's content with every layer's maps; data-layers and data-maps count them. */
export function renderMaps(container: HTMLElement, maps: LayerMaps[]): void {
  const rows = maps.map((layer) => {
    const figure = document.createElement('figure');
    figure.className = 'layer-maps';
    figure.dataset.layer = layer.name;
    const caption = document.createElement('figcaption');
    const more = layer.tiles.length < layer.channels ? `, first ${layer.tiles.length} of ${layer.channels} channels` : '';
    caption.textContent = `${layer.name} (${layer.className}) ${shapeText(layer.shape)}${more}`;
    const grid = document.createElement('div');
    grid.className = 'maps';
    for (const tile of layer.tiles) {
      const canvas = document.createElement('canvas');
      canvas.width = tile.width;
      canvas.height = tile.height;
      const px = zoom(tile.width, tile.height);
      canvas.style.width = `${tile.width * px}px`;
      canvas.style.height = `${tile.height * px}px`;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${layer.name}, ${tile.caption}`);
      canvas.title = tile.caption;
      const ctx = canvas.getContext('2d')!;
      const image = ctx.createImageData(tile.width, tile.height);
      for (let i = 0; i < tile.width * tile.height; i++) {
        image.data.set([tile.rgb[3 * i], tile.rgb[3 * i + 1], tile.rgb[3 * i + 2], 255], 4 * i);
      }
      ctx.putImageData(image, 0, 0);
      grid.append(canvas);
    }
    figure.append(caption, grid);
    return figure;
  });
  container.replaceChildren(...rows);
  container.dataset.layers = String(maps.length);
  container.dataset.maps = String(maps.reduce((n, m) => n + m.tiles.length, 0));
}
