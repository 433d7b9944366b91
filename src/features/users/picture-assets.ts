import { promisify } from 'node:util';
import { deflate as deflateCallback } from 'node:zlib';
import { pictureSvg } from './picture-art/drawings.js';
import { PICTURES, pictureStem } from './pictures.js';

/**
 * The profile-picture images served under `/assets/profile_pictures/`:
 * drawn here, no third-party artwork. Each picture is an SVG illustration
 * written in code (./picture-art/: one palette, outline and frame for all,
 * a motif per series, tiers of a series growing in splendour), rasterized
 * with resvg (@resvg/resvg-js) to an RGB PNG on first request and kept in
 * memory.
 */
export const PICTURE_SIZES = { '': 256, _small: 32, _medium: 64, _large: 512 } as const;
type SizeSuffix = keyof typeof PICTURE_SIZES;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const deflate = promisify(deflateCallback);

/** Encodes an RGB image (row-major, 3 bytes per pixel) as a PNG file (compressed off the event loop). */
export async function encodePng(width: number, height: number, rgb: Uint8Array): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', await deflate(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** resvg is a native library of some megabytes: a node that serves no picture never loads it. */
let resvg: Promise<typeof import('@resvg/resvg-js')> | undefined;
const loadResvg = () => (resvg ??= import('@resvg/resvg-js'));

/** Renders picture `id` at `size` x `size` pixels: its SVG (./picture-art/) rasterized by resvg, as an RGB PNG. */
export async function drawPicture(id: number, size: number): Promise<Buffer> {
  const { renderAsync } = await loadResvg();
  const image = await renderAsync(pictureSvg(id, size), {
    fitTo: { mode: 'width', value: size },
    // The artwork has no text: no font to look for.
    font: { loadSystemFonts: false },
    logLevel: 'off',
  });
  const rgba = image.pixels; // (a copy at each read of the property: read once)
  const rgb = new Uint8Array(size * size * 3);
  // The artwork is opaque; a pixel that were not would be laid over the page background (premultiplied RGBA).
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const rest = 255 - rgba[i + 3];
    rgb[j] = rgba[i] + ((PAGE_RGB[0] * rest) >> 8);
    rgb[j + 1] = rgba[i + 1] + ((PAGE_RGB[1] * rest) >> 8);
    rgb[j + 2] = rgba[i + 2] + ((PAGE_RGB[2] * rest) >> 8);
  }
  return encodePng(size, size, rgb);
}

/** The web client's background (#10131c). */
const PAGE_RGB = [0x10, 0x13, 0x1c] as const;

const STEMS = new Map(PICTURES.map((p) => [pictureStem(p.name), p.id]));
/** At most 23 pictures x 4 sizes (about 2 MB): the names are checked before anything is drawn. */
const cache = new Map<string, Promise<Buffer>>();

/** The PNG for a file name such as `one_friend_small.png`, or null when there is no such file. */
export function pictureFile(fileName: string): Promise<Buffer> | null {
  const match = /^([a-z0-9_]+?)(_small|_medium|_large)?\.png$/.exec(fileName);
  if (!match) return null;
  const suffix = (match[2] ?? '') as SizeSuffix;
  const id = STEMS.get(match[1]);
  if (id === undefined) return null;
  let png = cache.get(fileName);
  if (!png) {
    png = drawPicture(id, PICTURE_SIZES[suffix]);
    cache.set(fileName, png);
    png.catch(() => cache.delete(fileName));
  }
  return png;
}
