/**
 * The drawing kit of the profile pictures: one palette, one outline, one
 * frame, and the motifs the pictures are made of. Everything is drawn in a
 * 100 x 100 view box, inside the circle of radius 46 around the centre (the
 * clients show the pictures as discs), with a 3-unit dark outline.
 */

export const INK = '#0b0f1a';
export const STROKE = 3;

/** The colours every picture draws from. */
export const C = {
  white: '#f4f6fb',
  paper: '#dfe5f0',
  grey: '#8f9bb0',
  greyDark: '#5d6880',
  red: '#ef5b5b',
  redDark: '#b83340',
  blue: '#4f9dff',
  blueDark: '#2d6fd1',
  green: '#3ecf8e',
  greenDark: '#1f8f5c',
  leaf: '#8fd36b',
  leafDark: '#4d9a3a',
  gold: '#f5c542',
  goldLight: '#ffe9a0',
  goldDark: '#c98a17',
  silver: '#d3dbe6',
  silverLight: '#f3f6fa',
  silverDark: '#8d99ad',
  bronze: '#d9894d',
  bronzeLight: '#f2bb8a',
  bronzeDark: '#97562a',
  diamond: '#7fe3ff',
  diamondLight: '#d9f7ff',
  diamondDark: '#2aa6d6',
  master: '#b98bff',
  masterLight: '#e2d2ff',
  masterDark: '#7446cc',
  mythic: '#ff4f72',
  mythicLight: '#ffb3c2',
  mythicDark: '#b3183f',
  flame: '#ff8a2b',
  flameLight: '#ffd84d',
  flameDark: '#e0452b',
  pink: '#ff7ac8',
} as const;

/** A metal: its face, its highlight, its shade. */
export interface Metal {
  face: string;
  light: string;
  dark: string;
}

export const METALS = {
  bronze: { face: C.bronze, light: C.bronzeLight, dark: C.bronzeDark },
  silver: { face: C.silver, light: C.silverLight, dark: C.silverDark },
  gold: { face: C.gold, light: C.goldLight, dark: C.goldDark },
  diamond: { face: C.diamond, light: C.diamondLight, dark: C.diamondDark },
  master: { face: C.master, light: C.masterLight, dark: C.masterDark },
  mythic: { face: C.mythic, light: C.mythicLight, dark: C.mythicDark },
} satisfies Record<string, Metal>;

/** The background of a series: a radial gradient from `glow` (centre) to `edge`, and the frame ring. */
export interface Backdrop {
  glow: string;
  edge: string;
  ring: string;
}

export const BACKDROPS = {
  account: { glow: '#3c4868', edge: '#161b2b', ring: '#8f9bb0' },
  tournament: { glow: '#5b3a9a', edge: '#1b1030', ring: '#b98bff' },
  clash: { glow: '#8a2f3c', edge: '#2a0d14', ring: '#ef5b5b' },
  duel: { glow: '#17707a', edge: '#062226', ring: '#3fd0d9' },
  ranked: { glow: '#2b4377', edge: '#0c1224', ring: '#7aa2e0' },
  fun: { glow: '#8a2d7d', edge: '#2a0c27', ring: '#ff7ac8' },
  scorer: { glow: '#2c7a45', edge: '#0b2614', ring: '#3ecf8e' },
  social: { glow: '#2a5aa6', edge: '#0d1a36', ring: '#7cc4ff' },
  streak: { glow: '#8a3b12', edge: '#2a0f05', ring: '#ff8a2b' },
} satisfies Record<string, Backdrop>;

const n = (value: number) => Number(value.toFixed(2));

/** The whole picture: the series backdrop, the frame ring, then the motif. */
export function picture(backdrop: Backdrop, body: string, options: { rays?: string } = {}): string {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">',
    '<defs><radialGradient id="bg" cx="50%" cy="42%" r="62%">',
    `<stop offset="0" stop-color="${backdrop.glow}"/><stop offset="1" stop-color="${backdrop.edge}"/>`,
    '</radialGradient></defs>',
    '<rect width="100" height="100" fill="url(#bg)"/>',
    options.rays ? rays(options.rays) : '',
    `<circle cx="50" cy="50" r="46.5" fill="none" stroke="${backdrop.ring}" stroke-width="3" opacity="0.7"/>`,
    `<g stroke="${INK}" stroke-width="${STROKE}" stroke-linejoin="round" stroke-linecap="round">`,
    body,
    '</g></svg>',
  ].join('');
}

/** A sunburst behind the motif: the mark of the third tier of a series. */
export function rays(colour: string, count = 10): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = (i / count) * Math.PI * 2 - Math.PI / 2 - Math.PI / count / 2;
    const b = a + Math.PI / count;
    const r = 45;
    parts.push(`M50 50 L${n(50 + r * Math.cos(a))} ${n(50 + r * Math.sin(a))} L${n(50 + r * Math.cos(b))} ${n(50 + r * Math.sin(b))} Z`);
  }
  return `<path d="${parts.join(' ')}" fill="${colour}" opacity="0.16"/>`;
}

/** A stroked line drawn as a tube: an outline under a coloured core. */
export function tube(d: string, colour: string, width: number): string {
  return `<path d="${d}" fill="none" stroke="${INK}" stroke-width="${width + STROKE * 2}"/><path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}"/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, extra = ''): string {
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill}"${extra}/>`;
}

export function path(d: string, fill: string, extra = ''): string {
  return `<path d="${d}" fill="${fill}"${extra}/>`;
}

/** A highlight or shade: no outline. */
export function tint(d: string, fill: string, opacity = 1): string {
  return `<path d="${d}" fill="${fill}" stroke="none" opacity="${opacity}"/>`;
}

export function rotate(degrees: number, cx: number, cy: number, inner: string): string {
  return `<g transform="rotate(${n(degrees)} ${n(cx)} ${n(cy)})">${inner}</g>`;
}

export function move(dx: number, dy: number, inner: string, scale = 1): string {
  return `<g transform="translate(${n(dx)} ${n(dy)}) scale(${n(scale)})">${inner}</g>`;
}

/** The game ball. */
export function ball(cx: number, cy: number, r: number): string {
  return circle(cx, cy, r, C.white) +
    tint(`M${n(cx + r * 0.62)} ${n(cy - r * 0.3)} A${n(r * 0.7)} ${n(r * 0.7)} 0 0 1 ${n(cx - r * 0.3)} ${n(cy + r * 0.62)} A${n(r * 0.85)} ${n(r * 0.85)} 0 0 0 ${n(cx + r * 0.62)} ${n(cy - r * 0.3)} Z`, C.paper);
}

/** A Pong paddle, centred on (cx, cy), upright. */
export function paddle(cx: number, cy: number, w: number, h: number, face: string, light: string): string {
  const x = cx - w / 2;
  const y = cy - h / 2;
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="${n(w / 2.4)}" fill="${face}"/>` +
    `<rect x="${n(x + w * 0.22)}" y="${n(y + w * 0.35)}" width="${n(w * 0.22)}" height="${n(h - w * 0.7)}" rx="${n(w * 0.11)}" fill="${light}" stroke="none" opacity="0.8"/>`;
}

/** A person seen from the front, head and shoulders; (cx, cy) is the centre of the head, `s` its radius. */
export function bust(cx: number, cy: number, s: number, face: string, shade: string): string {
  const top = cy + s * 1.15;
  const w = s * 1.85;
  const h = s * 1.75;
  const shoulders = `M${n(cx - w)} ${n(top + h)} C${n(cx - w)} ${n(top + h * 0.15)} ${n(cx - w * 0.55)} ${n(top)} ${n(cx)} ${n(top)} C${n(cx + w * 0.55)} ${n(top)} ${n(cx + w)} ${n(top + h * 0.15)} ${n(cx + w)} ${n(top + h)} Z`;
  return path(shoulders, shade) + circle(cx, cy, s, face) +
    circle(cx - s * 0.35, cy - s * 0.35, s * 0.3, '#ffffff', ' stroke="none" opacity="0.35"');
}

/** A five-pointed star. */
export function star(cx: number, cy: number, r: number, fill: string, inner = 0.45): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const radius = i % 2 === 0 ? r : r * inner;
    points.push(`${n(cx + radius * Math.cos(a))} ${n(cy + radius * Math.sin(a))}`);
  }
  return path(`M${points.join(' L')} Z`, fill);
}

/** A four-pointed sparkle, without outline. */
export function sparkle(cx: number, cy: number, r: number, fill: string): string {
  const q = r * 0.22;
  return tint(`M${n(cx)} ${n(cy - r)} Q${n(cx + q)} ${n(cy - q)} ${n(cx + r)} ${n(cy)} Q${n(cx + q)} ${n(cy + q)} ${n(cx)} ${n(cy + r)} Q${n(cx - q)} ${n(cy + q)} ${n(cx - r)} ${n(cy)} Q${n(cx - q)} ${n(cy - q)} ${n(cx)} ${n(cy - r)} Z`, fill);
}

/** A crown, centred on cx, from `top` down `h` units, `w` wide. */
export function crown(cx: number, top: number, w: number, h: number, metal: Metal = METALS.gold, jewel: string = C.mythic): string {
  const l = cx - w / 2;
  const r = cx + w / 2;
  const bottom = top + h;
  const band = bottom - h * 0.28;
  const d = `M${n(l)} ${n(bottom)} L${n(l)} ${n(top + h * 0.25)} L${n(l + w * 0.25)} ${n(top + h * 0.55)} L${n(cx)} ${n(top)} L${n(r - w * 0.25)} ${n(top + h * 0.55)} L${n(r)} ${n(top + h * 0.25)} L${n(r)} ${n(bottom)} Z`;
  return path(d, metal.face) +
    tint(`M${n(l + 1.5)} ${n(band)} H${n(r - 1.5)} V${n(bottom - 1.5)} H${n(l + 1.5)} Z`, metal.dark, 0.6) +
    circle(cx, band - h * 0.12, h * 0.13, jewel, ' stroke-width="2"');
}

/** A laurel wreath around the centre: two branches meeting at the bottom. */
export function laurel(colour: string, shade: string, options: { r?: number; cy?: number; leaves?: number; leaf?: number; from?: number; to?: number } = {}): string {
  const R = options.r ?? 38;
  const cy = options.cy ?? 52;
  const leaves = options.leaves ?? 5;
  const from = options.from ?? 28;
  const to = options.to ?? 140;
  let out = '';
  for (const side of [-1, 1]) {
    // The stem.
    const a0 = (from * Math.PI) / 180;
    const a1 = (to * Math.PI) / 180;
    const p0 = [50 + side * R * Math.sin(a0), cy + R * Math.cos(a0)];
    const p1 = [50 + side * R * Math.sin(a1), cy + R * Math.cos(a1)];
    out += tube(`M${n(p0[0])} ${n(p0[1])} A${R} ${R} 0 0 ${side === 1 ? 0 : 1} ${n(p1[0])} ${n(p1[1])}`, shade, 2);
    for (let i = 0; i < leaves; i++) {
      const t = from + ((to - from) * (i + 0.5)) / leaves;
      const a = (t * Math.PI) / 180;
      const x = 50 + side * R * Math.sin(a);
      const y = cy + R * Math.cos(a);
      // Tangent direction (towards the tip of the branch), leaves tilted outwards.
      const tangent = (Math.atan2(-Math.sin(a), side * Math.cos(a)) * 180) / Math.PI;
      const tilt = tangent - side * 35;
      const size = (options.leaf ?? 8) * (1 - (i / leaves) * 0.25);
      const leaf = `M0 0 Q${n(size)} ${n(-size * 0.55)} ${n(size * 2)} 0 Q${n(size)} ${n(size * 0.55)} 0 0 Z`;
      out += `<g transform="translate(${n(x)} ${n(y)}) rotate(${n(tilt)})"><path d="${leaf}" fill="${colour}" stroke-width="2"/></g>`;
    }
  }
  return out;
}

/** A heraldic shield, centred on cx, from `top`, `w` wide and `h` high. */
export function shieldPath(cx: number, top: number, w: number, h: number): string {
  const l = cx - w / 2;
  const r = cx + w / 2;
  return `M${n(cx)} ${n(top)} C${n(cx + w * 0.2)} ${n(top + h * 0.08)} ${n(r - w * 0.08)} ${n(top + h * 0.08)} ${n(r)} ${n(top + h * 0.06)} ` +
    `L${n(r)} ${n(top + h * 0.45)} C${n(r)} ${n(top + h * 0.75)} ${n(cx + w * 0.2)} ${n(top + h * 0.9)} ${n(cx)} ${n(top + h)} ` +
    `C${n(cx - w * 0.2)} ${n(top + h * 0.9)} ${n(l)} ${n(top + h * 0.75)} ${n(l)} ${n(top + h * 0.45)} ` +
    `L${n(l)} ${n(top + h * 0.06)} C${n(l + w * 0.08)} ${n(top + h * 0.08)} ${n(cx - w * 0.2)} ${n(top + h * 0.08)} ${n(cx)} ${n(top)} Z`;
}

/** A chevron (rank stripe) pointing up, centred on cx, its apex at `y`. */
export function chevron(cx: number, y: number, w: number, colour: string): string {
  const d = `M${n(cx - w / 2)} ${n(y + w * 0.38)} L${n(cx)} ${n(y)} L${n(cx + w / 2)} ${n(y + w * 0.38)}`;
  return tube(d, colour, 4.5);
}

/** A flame, its base centred on (cx, base), `h` high. */
export function flame(cx: number, base: number, w: number, h: number, outer: string, inner: string, core?: string): string {
  const shape = (s: number) => {
    const ww = w * s;
    const hh = h * s;
    const top = base - hh;
    return `M${n(cx)} ${n(base)} C${n(cx - ww * 0.62)} ${n(base)} ${n(cx - ww * 0.62)} ${n(base - hh * 0.45)} ${n(cx - ww * 0.42)} ${n(base - hh * 0.62)} ` +
      `C${n(cx - ww * 0.3)} ${n(base - hh * 0.45)} ${n(cx - ww * 0.12)} ${n(base - hh * 0.55)} ${n(cx - ww * 0.18)} ${n(base - hh * 0.72)} ` +
      `C${n(cx - ww * 0.22)} ${n(base - hh * 0.86)} ${n(cx - ww * 0.05)} ${n(top + hh * 0.05)} ${n(cx + ww * 0.05)} ${n(top)} ` +
      `C${n(cx + ww * 0.12)} ${n(base - hh * 0.8)} ${n(cx + ww * 0.32)} ${n(base - hh * 0.72)} ${n(cx + ww * 0.38)} ${n(base - hh * 0.58)} ` +
      `C${n(cx + ww * 0.44)} ${n(base - hh * 0.66)} ${n(cx + ww * 0.5)} ${n(base - hh * 0.7)} ${n(cx + ww * 0.48)} ${n(base - hh * 0.8)} ` +
      `C${n(cx + ww * 0.7)} ${n(base - hh * 0.55)} ${n(cx + ww * 0.62)} ${n(base)} ${n(cx)} ${n(base)} Z`;
  };
  let out = path(shape(1), outer);
  out += path(shape(0.68), inner, ' stroke-width="2"');
  if (core) out += tint(shape(0.36), core);
  return out;
}

/** A check mark badge. */
export function checkBadge(cx: number, cy: number, r: number): string {
  return circle(cx, cy, r, C.green) + tube(`M${n(cx - r * 0.45)} ${n(cy + r * 0.02)} L${n(cx - r * 0.1)} ${n(cy + r * 0.38)} L${n(cx + r * 0.5)} ${n(cy - r * 0.35)}`, C.white, 3);
}

/** A question mark badge. */
export function questionBadge(cx: number, cy: number, r: number): string {
  const s = r / 10;
  const hook = `M${n(cx - 3.2 * s)} ${n(cy - 2.6 * s)} C${n(cx - 3.2 * s)} ${n(cy - 7.2 * s)} ${n(cx + 3.6 * s)} ${n(cy - 7.2 * s)} ${n(cx + 3.6 * s)} ${n(cy - 2.8 * s)} C${n(cx + 3.6 * s)} ${n(cy + 0.2 * s)} ${n(cx)} ${n(cy)} ${n(cx)} ${n(cy + 2.6 * s)}`;
  return circle(cx, cy, r, C.paper) +
    `<path d="${hook}" fill="none" stroke="${C.greyDark}" stroke-width="${n(2.6 * s)}"/>` +
    circle(cx, cy + 6 * s, 1.7 * s, C.greyDark, ' stroke="none"');
}

/** A heart. */
export function heart(cx: number, cy: number, s: number, fill: string): string {
  const d = `M${n(cx)} ${n(cy + s * 0.9)} C${n(cx - s * 1.3)} ${n(cy)} ${n(cx - s * 1.1)} ${n(cy - s * 0.95)} ${n(cx - s * 0.5)} ${n(cy - s * 0.95)} ` +
    `C${n(cx - s * 0.2)} ${n(cy - s * 0.95)} ${n(cx)} ${n(cy - s * 0.7)} ${n(cx)} ${n(cy - s * 0.45)} ` +
    `C${n(cx)} ${n(cy - s * 0.7)} ${n(cx + s * 0.2)} ${n(cy - s * 0.95)} ${n(cx + s * 0.5)} ${n(cy - s * 0.95)} ` +
    `C${n(cx + s * 1.1)} ${n(cy - s * 0.95)} ${n(cx + s * 1.3)} ${n(cy)} ${n(cx)} ${n(cy + s * 0.9)} Z`;
  return path(d, fill);
}
