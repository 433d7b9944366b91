import { deflateSync } from 'node:zlib';
import { PICTURES, pictureStem } from './pictures.js';

/**
 * The profile-picture images served under `/assets/profile_pictures/`:
 * drawn here, no third-party artwork. Each picture gets its own background
 * hue and one simple shape (the shape and colour pair is unique per picture),
 * rendered as a PNG with node:zlib. Images are drawn on first request and
 * kept in memory.
 */
export const PICTURE_SIZES = { '': 256, _small: 32, _medium: 64, _large: 512 } as const;
type SizeSuffix = keyof typeof PICTURE_SIZES;

const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'ring', 'cross', 'star', 'stripes'] as const;
type Shape = (typeof SHAPES)[number];

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

/** Encodes an RGB image (row-major, 3 bytes per pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
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
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** Whether the point (x, y), in [-1, 1] coordinates, is inside the shape. */
function inside(shape: Shape, x: number, y: number): boolean {
  const r = Math.hypot(x, y);
  switch (shape) {
    case 'circle': return r <= 0.6;
    case 'square': return Math.abs(x) <= 0.5 && Math.abs(y) <= 0.5;
    case 'triangle': return y <= 0.5 && y >= -0.6 && Math.abs(x) <= (y + 0.6) * 0.55;
    case 'diamond': return Math.abs(x) + Math.abs(y) <= 0.65;
    case 'ring': return r <= 0.65 && r >= 0.4;
    case 'cross': return (Math.abs(x) <= 0.18 && Math.abs(y) <= 0.65) || (Math.abs(y) <= 0.18 && Math.abs(x) <= 0.65);
    case 'star': {
      const angle = Math.atan2(y, x);
      const limit = 0.35 + 0.3 * Math.abs(Math.cos((5 * angle) / 2));
      return r <= limit;
    }
    case 'stripes': return Math.abs(y) <= 0.65 && Math.abs(x) <= 0.65 && Math.floor((x + y + 2) * 4) % 2 === 0;
  }
}

/** Draws picture `id` at `size` x `size` pixels. */
export function drawPicture(id: number, size: number): Buffer {
  const shape = SHAPES[id % SHAPES.length];
  const hue = (id * 360) / PICTURES.length;
  const background = hsl(hue, 0.55, 0.45);
  const foreground = id % 2 === 0 ? hsl((hue + 180) % 360, 0.8, 0.85) : ([250, 250, 250] as const);
  const rgb = new Uint8Array(size * size * 3);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1;
      const y = ((py + 0.5) / size) * 2 - 1;
      const colour = inside(shape, x, y) ? foreground : background;
      const at = (py * size + px) * 3;
      rgb[at] = colour[0];
      rgb[at + 1] = colour[1];
      rgb[at + 2] = colour[2];
    }
  }
  return encodePng(size, size, rgb);
}

const STEMS = new Map(PICTURES.map((p) => [pictureStem(p.name), p.id]));
const cache = new Map<string, Buffer>();

/** The PNG for a file name such as `one_friend_small.png`, or null when there is no such file. */
export function pictureFile(fileName: string): Buffer | null {
  const match = /^([a-z0-9_]+?)(_small|_medium|_large)?\.png$/.exec(fileName);
  if (!match) return null;
  const suffix = (match[2] ?? '') as SizeSuffix;
  const id = STEMS.get(match[1]);
  if (id === undefined) return null;
  let png = cache.get(fileName);
  if (!png) {
    png = drawPicture(id, PICTURE_SIZES[suffix]);
    cache.set(fileName, png);
  }
  return png;
}
