import {
  BACKDROPS, C, INK, METALS, ball, bust, checkBadge, chevron, circle, crown, flame, heart, laurel, move, paddle, path,
  picture, questionBadge, rotate, shieldPath, sparkle, star, tint, tube, type Metal,
} from './kit.js';

/**
 * The 23 profile pictures as SVG, by picture id (src/features/users/pictures.ts).
 * A series shares its backdrop and its motif; its tiers grow in splendour the
 * same way everywhere: the first plain, the second inside a laurel wreath, the
 * third with a crown, golden laurels and a sunburst.
 */

type Tier = 1 | 2 | 3;

/**
 * How much detail a size can carry: at 32 px and below the sunburst goes and the wreath has fewer,
 * bigger leaves around a bigger motif, so that each picture stays readable as a thumbnail.
 */
export interface Detail {
  small: boolean;
}

/** Shrinks the motif of tiers 2 and 3 so that the wreath and the crown fit around it. */
function tiered(tier: Tier, motif: string, detail: Detail): string {
  if (tier === 1) return motif;
  const scale = tier === 2 ? (detail.small ? 0.8 : 0.74) : detail.small ? 0.72 : 0.68;
  const cx = 50;
  const cy = tier === 2 ? 50 : 57;
  const leaves = detail.small ? { leaves: 3, leaf: 11 } : {};
  const wreath = tier === 2
    ? laurel(C.leaf, C.leafDark, leaves)
    : laurel(C.gold, C.goldDark, { r: 38, cy: 54, from: 32, to: 134, ...leaves });
  const top = tier === 3 ? crown(50, 9, 28, 17) : '';
  return wreath + move(cx - 50 * scale, cy - 50 * scale, motif, scale) + top;
}

function tierPicture(backdrop: (typeof BACKDROPS)[keyof typeof BACKDROPS], tier: Tier, motif: string, detail: Detail): string {
  return picture(backdrop, tiered(tier, motif, detail), tier === 3 && !detail.small ? { rays: C.goldLight } : {});
}

/** The sunburst of the top pictures, left out of thumbnails. */
const glory = (colour: string, detail: Detail) => (detail.small ? {} : { rays: colour });

/** A cup with two handles on a plinth. */
function cup(metal: Metal, jewel?: string): string {
  return [
    tube('M32 31 C17 31 18 52 37 53', metal.face, 4.5),
    tube('M68 31 C83 31 82 52 63 53', metal.face, 4.5),
    path('M46 58 H54 L56 69 H44 Z', metal.dark),
    path('M29 24 H71 V35 C71 53 61 61 50 61 C39 61 29 53 29 35 Z', metal.face),
    tint('M34 28 H40 V38 C40 46 42 52 46 56 C38 54 34 46 34 38 Z', metal.light, 0.95),
    tint('M62 28 H66 V36 C66 47 61 54 55 58 C60 52 62 45 62 36 Z', metal.dark, 0.55),
    `<rect x="27" y="20" width="46" height="7" rx="3" fill="${metal.face}"/>`,
    `<rect x="37" y="67" width="26" height="6" rx="2" fill="${metal.face}"/>`,
    `<rect x="32" y="72" width="36" height="9" rx="2.5" fill="#6b3f26"/>`,
    tint('M35 75 H65 V77 H35 Z', '#a0643c', 0.9),
    jewel ? star(50, 40, 9, jewel) : star(50, 40, 8, metal.light),
  ].join('');
}

/** Three paddles of one team, fanned, and the ball above them. */
function threePaddles(): string {
  const one = paddle(50, 60, 13, 44, C.red, '#ffb0b0');
  return [
    rotate(-16, 50, 130, one),
    rotate(16, 50, 130, one),
    move(0, -3, one),
    ball(50, 20, 8),
  ].join('');
}

/** Two paddles crossed like swords, red over blue, the ball above. */
function crossedPaddles(): string {
  return [
    rotate(38, 50, 56, paddle(50, 56, 12, 58, C.blue, '#b7d7ff')),
    rotate(-38, 50, 56, paddle(50, 56, 12, 58, C.red, '#ffb0b0')),
    ball(50, 21, 8),
  ].join('');
}

/** Feathered wings on either side of a badge. */
function wings(metal: Metal, y: number, spread: number): string {
  let out = '';
  for (const side of [-1, 1]) {
    for (let i = 0; i < 3; i++) {
      const x = 50 + side * (spread - i * 2);
      const yy = y + i * 7;
      const len = 20 - i * 4;
      const d = `M${x} ${yy} Q${x + side * len * 0.7} ${yy - 8 + i * 2} ${x + side * len} ${yy - 2 + i * 3} Q${x + side * len * 0.6} ${yy + 4} ${x} ${yy + 6} Z`;
      out += path(d, i === 0 ? metal.light : metal.face, ' stroke-width="2.5"');
    }
  }
  return out;
}

/** A diamond-cut gem. */
function gem(cx: number, cy: number, s: number): string {
  const d = `M${cx - s} ${cy - s * 0.35} L${cx - s * 0.55} ${cy - s} H${cx + s * 0.55} L${cx + s} ${cy - s * 0.35} L${cx} ${cy + s} Z`;
  return path(d, C.diamond) +
    tint(`M${cx - s} ${cy - s * 0.35} H${cx + s} L${cx} ${cy + s} Z`, C.diamondDark, 0.55) +
    tint(`M${cx - s * 0.55} ${cy - s} H${cx} L${cx - s * 0.3} ${cy - s * 0.35} H${cx - s} Z`, C.diamondLight, 0.9) +
    `<path d="M${cx - s} ${cy - s * 0.35} H${cx + s} M${cx - s * 0.3} ${cy - s * 0.35} L${cx} ${cy + s} L${cx + s * 0.3} ${cy - s * 0.35}" fill="none" stroke-width="1.6"/>`;
}

/** The ranked badge: a shield of the rank's metal and its emblem. */
function rankShield(metal: Metal, emblem: string, options: { wings?: Metal; crown?: boolean } = {}): string {
  const top = options.crown ? 26 : 20;
  const h = options.crown ? 58 : 64;
  const w = options.crown ? 46 : 52;
  return [
    options.wings ? wings(options.wings, top + 12, w / 2 - 2) : '',
    path(shieldPath(50, top, w, h), metal.face),
    tint(shieldPath(50, top + 5, w - 12, h - 12), metal.dark, 0.35),
    tint(`M${50 - w / 2 + 4} ${top + 6} L${50 - 2} ${top + 4} L${50 - 2} ${top + h - 8} C${50 - 12} ${top + h - 14} ${50 - w / 2 + 4} ${top + h * 0.6} ${50 - w / 2 + 4} ${top + h * 0.42} Z`, metal.light, 0.35),
    emblem,
    options.crown ? crown(50, 8, 28, 17, METALS.gold, C.diamond) : '',
  ].join('');
}

function chevrons(count: number, colour: string): string {
  let out = '';
  const first = 58 - (count - 1) * 5.5;
  for (let i = 0; i < count; i++) out += chevron(50, first + i * 11 - 8, 26, colour);
  return out;
}

/** A goal seen from the front: posts, crossbar and net, the ball in it. */
function goal(post: string, options: { fire?: boolean } = {}): string {
  const net: string[] = [];
  for (let x = 27; x <= 73; x += 7.7) net.push(`M${x.toFixed(1)} 33 L${(50 + (x - 50) * 0.8).toFixed(1)} 72`);
  for (let y = 40; y <= 72; y += 8) net.push(`M${(27 + (y - 33) * 0.12).toFixed(1)} ${y} H${(73 - (y - 33) * 0.12).toFixed(1)}`);
  return [
    tint('M14 74 H86 V82 H14 Z', '#1f8f5c', 0.9),
    path('M24 30 H76 V74 H24 Z', '#0e2a1a', ' stroke="none" opacity="0.55"'),
    `<path d="${net.join(' ')}" fill="none" stroke="${C.paper}" stroke-width="1.6" opacity="0.85"/>`,
    options.fire ? flame(57, 68, 30, 40, C.flameDark, C.flame, C.flameLight) : '',
    ball(57, 58, 10),
    tube('M24 76 V29 H76 V76', post, 5),
  ].join('');
}

/** A big flame with the ball at its heart. */
function streakFlame(): string {
  return [
    flame(50, 84, 62, 72, C.flameDark, C.flame, C.flameLight),
    ball(50, 64, 10),
    sparkle(24, 30, 5, C.flameLight),
    sparkle(78, 40, 4, C.flameLight),
  ].join('');
}

const confetti = (): string => [
  ['M20 30 l6 -3 l1.5 3 l-6 3 Z', C.blue],
  ['M74 24 l5 3 l-1.5 3 l-5 -3 Z', C.gold],
  ['M80 56 l4 5 l-3 2 l-4 -5 Z', C.green],
  ['M18 58 l6 1 l-0.5 3.5 l-6 -1 Z', C.gold],
  ['M30 16 l3 -4 l3 2 l-3 4 Z', C.green],
  ['M66 12 l5 1 l-1 3.5 l-5 -1 Z', C.red],
].map(([d, fill]) => path(d, fill, ' stroke-width="1.6"')).join('') + sparkle(78, 78, 5, C.goldLight) + sparkle(22, 80, 4, C.white);

/** A smiling ball in a party hat. */
function funBall(): string {
  const hat = 'M37 36 L50 8 L63 36 Z';
  return [
    circle(50, 58, 23, C.flameLight),
    tint('M66 44 A18 18 0 0 1 40 76 A22 22 0 0 0 66 44 Z', C.gold, 0.9),
    path(hat, C.blue),
    tint('M45 19 L55 19 L57 24 L43 24 Z', C.pink),
    tint('M40 30 L60 30 L61.5 34 L38.5 34 Z', C.pink),
    circle(50, 8, 4, C.gold, ' stroke-width="2.5"'),
    circle(42, 54, 3, INK, ' stroke="none"'),
    circle(58, 54, 3, INK, ' stroke="none"'),
    '<path d="M39 63 Q50 74 61 63" fill="none" stroke-width="3.2"/>',
    circle(36, 62, 3, C.pink, ' stroke="none" opacity="0.7"'),
    circle(64, 62, 3, C.pink, ' stroke="none" opacity="0.7"'),
  ].join('');
}

const D = BACKDROPS;

export const PICTURE_SVG: ReadonlyArray<(detail: Detail) => string> = [
  // 0 Guest: a grey figure, someone not yet known.
  () => picture(D.account, bust(50, 38, 14, C.grey, C.greyDark) + questionBadge(70, 68, 12)),
  // 1 Register: the same figure in colour, checked.
  () => picture(D.account, bust(50, 38, 14, '#7cc4ff', C.blue) + checkBadge(70, 68, 12)),
  // 2-4 Tournaments: a cup, then a golden cup in laurels, then crowned.
  (d) => tierPicture(D.tournament, 1, cup(METALS.silver), d),
  (d) => tierPicture(D.tournament, 2, cup(METALS.gold), d),
  (d) => tierPicture(D.tournament, 3, cup(METALS.gold, C.mythic), d),
  // 5-7 Clash: a team of three paddles.
  (d) => tierPicture(D.clash, 1, threePaddles(), d),
  (d) => tierPicture(D.clash, 2, threePaddles(), d),
  (d) => tierPicture(D.clash, 3, threePaddles(), d),
  // 8-10 Duel: two crossed paddles.
  (d) => tierPicture(D.duel, 1, crossedPaddles(), d),
  (d) => tierPicture(D.duel, 2, crossedPaddles(), d),
  (d) => tierPicture(D.duel, 3, crossedPaddles(), d),
  // 11-16 Ranked: the badge of each rank.
  () => picture(D.ranked, rankShield(METALS.bronze, chevrons(1, C.bronzeLight))),
  () => picture(D.ranked, rankShield(METALS.silver, chevrons(2, C.silverLight))),
  () => picture(D.ranked, rankShield(METALS.gold, chevrons(3, C.goldLight))),
  () => picture(D.ranked, rankShield(METALS.diamond, gem(50, 50, 14))),
  (d) => picture(D.ranked, rankShield(METALS.master, star(50, 52, 15, C.masterLight), { wings: METALS.master }), glory(C.masterLight, d)),
  (d) => picture(D.ranked, rankShield(METALS.mythic, flame(50, 74, 26, 34, C.flameDark, C.flame, C.flameLight), { wings: METALS.gold, crown: true }), glory(C.mythicLight, d)),
  // 17 Fun Player: a party.
  () => picture(D.fun, confetti() + funBall()),
  // 18-19 Scorer: the ball in the net; the god scorer's on fire, in a golden goal.
  () => picture(D.scorer, goal(C.white)),
  (d) => picture(D.scorer, goal(C.gold, { fire: true }) + crown(50, 7, 24, 15), glory(C.goldLight, d)),
  // 20 One Friend: two figures side by side.
  () => picture(D.social, bust(35, 42, 11, '#ff9a9a', C.red) + bust(65, 42, 11, '#7cc4ff', C.blue) + heart(50, 30, 6, C.pink)),
  // 21 Popular Guy: a crowd around one figure.
  () => picture(D.social, [
    bust(22, 44, 7, '#9ae6b4', C.greenDark), bust(78, 44, 7, '#ffe48a', C.goldDark),
    bust(34, 36, 8, '#ff9a9a', C.red), bust(66, 36, 8, '#c9b2ff', C.masterDark),
    bust(50, 44, 12, '#7cc4ff', C.blue),
    heart(22, 22, 5, C.pink), heart(78, 22, 5, C.pink), heart(50, 18, 6, C.mythic),
  ].join('')),
  // 22 Win Streak Player: the ball in flames.
  () => picture(D.streak, streakFlame()),
];

/** The SVG of picture `id` for a rendering `size` pixels wide (thumbnails get less detail). */
export function pictureSvg(id: number, size = 256): string {
  const draw = PICTURE_SVG[id];
  if (!draw) throw new RangeError(`no picture ${id}`);
  return draw({ small: size <= 32 });
}
