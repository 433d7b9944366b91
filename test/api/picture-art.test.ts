import { renderAsync } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { pictureSvg } from '../../src/features/users/picture-art/drawings.js';
import { BACKDROPS } from '../../src/features/users/picture-art/kit.js';
import { pictureFile } from '../../src/features/users/picture-assets.js';
import { PICTURE_COUNT } from '../../src/features/users/pictures.js';

const ids = Array.from({ length: PICTURE_COUNT }, (_, id) => id);
const backdropOf = (svg: string) => Object.entries(BACKDROPS).find(([, b]) => svg.includes(`stop-color="${b.glow}"`))?.[0];

describe('the profile-picture artwork (src/features/users/picture-art/)', () => {
  it('is one framed 100 x 100 SVG per picture, without text (no font is needed), opaque at every size', async () => {
    for (const id of ids) {
      for (const size of [32, 64, 256]) {
        const svg = pictureSvg(id, size);
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"')).toBe(true);
        expect(svg).not.toMatch(/<text|<image|href=/);
        const image = await renderAsync(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
        expect([image.width, image.height]).toEqual([size, size]);
        const pixels = image.pixels; // a copy at each read of the property
        let transparent = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 255) transparent++;
        expect(transparent, `picture ${id} at ${size} px`).toBe(0);
      }
    }
  });

  it('gives each series its own backdrop, shared by its tiers', () => {
    const series = [[0, 1], [2, 3, 4], [5, 6, 7], [8, 9, 10], [11, 12, 13, 14, 15, 16], [17], [18, 19], [20, 21], [22]];
    const names = series.map((members) => {
      const found = new Set(members.map((id) => backdropOf(pictureSvg(id))));
      expect(found.size).toBe(1);
      return [...found][0];
    });
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(series.length);
  });

  it('draws thumbnails (32 px) with less detail, and caches each file once', async () => {
    expect(pictureSvg(4, 32)).not.toBe(pictureSvg(4, 64));
    expect(pictureSvg(0, 32)).toBe(pictureSvg(0, 64));
    const first = pictureFile('tournament_god_small.png');
    expect(pictureFile('tournament_god_small.png')).toBe(first);
    expect((await first!).subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(pictureFile('tournament_god_tiny.png')).toBeNull();
    expect(pictureFile('../register.png')).toBeNull();
  });
});
