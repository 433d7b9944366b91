import { effectCounters } from './counters';
import { EFFECT_MS, type Effects } from './effects';
import type { FieldView, Side } from './view';

export const COLORS = {
  /** Around the field (a phone's margins). */
  frame: '#070910',
  background: '#0b0e16',
  /** The background with 3.5% of each side's colour. */
  leftHalf: '#131118',
  rightHalf: '#0d131e',
  line: 'rgba(255,255,255,0.16)',
  left: '#ef5b5b',
  right: '#4f9dff',
  mine: '#7cc4ff',
  ball: '#f5f7fa',
  text: '#f5f7fa',
  /** Names and hints: 9:1 on the background. */
  label: '#c9d1e0',
} as const;

/** Smallest text on the canvas, in CSS px. */
export const MIN_LABEL_PX = 14;

/**
 * Where the field is on the canvas. On a phone held upright the field is
 * turned a quarter: the right-hand side (the viewer's own) at the bottom,
 * the left-hand side at the top; what the field calls "up" is then the
 * screen's right.
 */
export interface Geometry {
  cssWidth: number;
  cssHeight: number;
  rotated: boolean;
  /** CSS px per field unit. */
  scale: number;
  /** The field's top-left corner on the canvas (CSS px), whatever the rotation. */
  left: number;
  top: number;
  /** Field size in units. */
  width: number;
  height: number;
}

export function toScreen(g: Geometry, x: number, y: number): { x: number; y: number } {
  return g.rotated ? { x: g.left + (g.height - y) * g.scale, y: g.top + x * g.scale } : { x: g.left + x * g.scale, y: g.top + y * g.scale };
}

export function toField(g: Geometry, px: number, py: number): { x: number; y: number } {
  return g.rotated ? { x: (py - g.top) / g.scale, y: g.height - (px - g.left) / g.scale } : { x: (px - g.left) / g.scale, y: (py - g.top) / g.scale };
}

/** The field on screen (CSS px). */
function fieldRect(g: Geometry): { x: number; y: number; w: number; h: number } {
  return g.rotated ? { x: g.left, y: g.top, w: g.height * g.scale, h: g.width * g.scale } : { x: g.left, y: g.top, w: g.width * g.scale, h: g.height * g.scale };
}

function setFieldTransform(ctx: CanvasRenderingContext2D, g: Geometry, ratio: number, shakeX: number, shakeY: number): void {
  const s = g.scale * ratio;
  if (g.rotated) ctx.setTransform(0, s, -s, 0, ratio * (g.left + g.height * g.scale + shakeX), ratio * (g.top + shakeY));
  else ctx.setTransform(s, 0, 0, s, ratio * (g.left + shakeX), ratio * (g.top + shakeY));
}

/** Soft round glows, drawn once per colour and reused (cheaper than `shadowBlur`). */
const glows = new Map<string, HTMLCanvasElement>();
function glow(color: string): HTMLCanvasElement {
  let sprite = glows.get(color);
  if (sprite) return sprite;
  sprite = document.createElement('canvas');
  sprite.width = sprite.height = 64;
  const g = sprite.getContext('2d')!;
  const gradient = g.createRadialGradient(32, 32, 0, 32, 32, 32);
  gradient.addColorStop(0, color);
  gradient.addColorStop(0.35, `${color}88`);
  gradient.addColorStop(1, `${color}00`);
  g.fillStyle = gradient;
  g.fillRect(0, 0, 64, 64);
  glows.set(color, sprite);
  return sprite;
}

function mix(hexA: string, hexB: string, t: number): string {
  const a = parseInt(hexA.slice(1), 16);
  const b = parseInt(hexB.slice(1), 16);
  const channel = (shift: number) => Math.round(((a >> shift) & 255) * (1 - t) + ((b >> shift) & 255) * t);
  return `#${((1 << 24) | (channel(16) << 16) | (channel(8) << 8) | channel(0)).toString(16).slice(1)}`;
}

/** The ball's colour: white at the serve speed, through gold to orange at the top speed. */
function speedColor(norm: number): string {
  return norm < 0.5 ? mix('#f5f7fa', '#ffd84d', norm * 2) : mix('#ffd84d', '#ff7a3d', (norm - 0.5) * 2);
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  if (typeof ctx.roundRect === 'function') ctx.roundRect(x, y, w, h, r);
  else ctx.rect(x, y, w, h);
  ctx.fill();
}

export interface Hud {
  /** Names by side, for the score drawn on the canvas (a phone held upright). */
  names?: { left: string; right: string } | null;
  /** The index (in `view.paddles`) of the paddle that touch drives, and where a finger wants it (field y), if anywhere. */
  controlled?: number | null;
  touchTarget?: number | null;
  /** A touch screen: the controlled paddle shows it can be dragged. */
  touch?: boolean;
}

interface LabelStyle {
  px: number;
  color: string;
  background?: string;
  weight?: string;
  align?: CanvasTextAlign;
  baseline?: CanvasTextBaseline;
  /** A dark outline, for text over the field's lines and the ball. */
  outline?: boolean;
  scale?: number;
}

/** Screen-space text (CSS px), never below `MIN_LABEL_PX`; recorded for the tests' contrast check. */
function label(ctx: CanvasRenderingContext2D, ratio: number, text: string, x: number, y: number, style: LabelStyle): void {
  const px = Math.max(MIN_LABEL_PX, Math.round(style.px));
  const scale = style.scale ?? 1;
  ctx.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * x, ratio * y);
  ctx.font = `${style.weight ?? '600'} ${px}px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;
  ctx.textAlign = style.align ?? 'center';
  ctx.textBaseline = style.baseline ?? 'middle';
  if (style.outline) {
    ctx.lineWidth = Math.max(3, px / 14);
    ctx.lineJoin = 'round';
    ctx.strokeStyle = 'rgba(5,7,12,0.8)';
    ctx.strokeText(text, 0, 0);
  }
  ctx.fillStyle = style.color;
  ctx.fillText(text, 0, 0);
  effectCounters().labels.push({ text, px, color: style.color, background: style.background ?? COLORS.leftHalf });
}

/** Fits `text` in `maxWidth` CSS px at `px`, shortening it with an ellipsis. */
function fitText(ctx: CanvasRenderingContext2D, text: string, px: number, maxWidth: number): string {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.font = `600 ${px}px system-ui, sans-serif`;
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Draws one frame: the field in its place on the canvas, its effects, then the text upright on top. */
export function drawField(ctx: CanvasRenderingContext2D, g: Geometry, ratio: number, view: FieldView, fx: Effects, hud: Hud, now: number): void {
  const { layout } = view;
  const W = layout.width;
  const H = layout.height;
  const reduced = fx.reducedMotion;
  effectCounters().labels.length = 0;

  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  const shake = fx.shake(now);
  // Around the field: the margins of a turned field, or what a shake uncovers.
  if (g.rotated || shake.x !== 0 || shake.y !== 0) {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = COLORS.frame;
    ctx.fillRect(0, 0, g.cssWidth, g.cssHeight);
  }
  setFieldTransform(ctx, g, ratio, shake.x * g.scale, shake.y * g.scale);

  // The field, each half faintly tinted with its side's colour; the centre line and circle.
  ctx.fillStyle = COLORS.leftHalf;
  ctx.fillRect(0, 0, W / 2, H);
  ctx.fillStyle = COLORS.rightHalf;
  ctx.fillRect(W / 2, 0, W / 2, H);
  ctx.strokeStyle = COLORS.line;
  ctx.lineWidth = 4;
  ctx.setLineDash([18, 18]);
  ctx.beginPath();
  ctx.moveTo(W / 2, 0);
  ctx.lineTo(W / 2, H);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(255,255,255,0.08)';
  ctx.beginPath();
  ctx.arc(W / 2, H / 2, Math.min(W, H) * 0.12, 0, Math.PI * 2);
  ctx.stroke();
  // The walls, and each side's goal line in its colour.
  ctx.fillStyle = 'rgba(255,255,255,0.10)';
  ctx.fillRect(0, 0, W, 4);
  ctx.fillRect(0, H - 4, W, 4);
  ctx.fillStyle = 'rgba(239,91,91,0.45)';
  ctx.fillRect(0, 0, 4, H);
  ctx.fillStyle = 'rgba(79,157,255,0.45)';
  ctx.fillRect(W - 4, 0, 4, H);

  // A goal: the goal line lights up in the scorer's colour, and the field flashes.
  if (fx.goal && !reduced) {
    const t = (now - fx.goal.t) / EFFECT_MS.goalFlash;
    if (t >= 0 && t < 1) {
      const scorer: Side = fx.goal.side === 'left' ? 'right' : 'left';
      const color = scorer === 'left' ? COLORS.left : COLORS.right;
      const fade = (1 - t) ** 2;
      const depth = W * 0.22;
      const x0 = fx.goal.side === 'left' ? 0 : W;
      const gradient = ctx.createLinearGradient(x0, 0, fx.goal.side === 'left' ? depth : W - depth, 0);
      gradient.addColorStop(0, `${color}${Math.round(fade * 200).toString(16).padStart(2, '0')}`);
      gradient.addColorStop(1, `${color}00`);
      ctx.fillStyle = gradient;
      ctx.fillRect(fx.goal.side === 'left' ? 0 : W - depth, 0, depth, H);
      if (t < 0.35) {
        ctx.globalAlpha = (1 - t / 0.35) * 0.16;
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, W, H);
        ctx.globalAlpha = 1;
      }
    }
  }

  // The serve cue: an arrow from the centre spot the way the ball will go.
  const serve = view.countdown !== null ? view.serve : null;
  if (serve && (serve.x !== 0 || serve.y !== 0)) {
    const length = Math.hypot(serve.x, serve.y);
    const dx = serve.x / length;
    const dy = serve.y / length;
    const cx = W / 2;
    const cy = H / 2;
    const color = serve.x > 0 ? COLORS.right : COLORS.left;
    const reach = Math.min(W, H) * 0.34;
    const start = layout.ballSize * 1.6;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 6;
    ctx.lineCap = 'round';
    ctx.setLineDash([16, 14]);
    ctx.lineDashOffset = reduced ? 0 : -((now / 30) % 30);
    ctx.beginPath();
    ctx.moveTo(cx + dx * start, cy + dy * start);
    ctx.lineTo(cx + dx * (reach - 18), cy + dy * (reach - 18));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineDashOffset = 0;
    const tipX = cx + dx * reach;
    const tipY = cy + dy * reach;
    ctx.beginPath();
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - dx * 30 - dy * 18, tipY - dy * 30 + dx * 18);
    ctx.lineTo(tipX - dx * 30 + dy * 18, tipY - dy * 30 - dx * 18);
    ctx.closePath();
    ctx.fill();
    ctx.lineCap = 'butt';
  }

  // Paddles: a glow, then the paddle; a hit flashes it white.
  const pw = layout.paddleWidth;
  const ph = layout.paddleHeight;
  view.paddles.forEach((paddle, index) => {
    const base = paddle.mine ? COLORS.mine : paddle.side === 'left' ? COLORS.left : COLORS.right;
    const since = now - (fx.paddleHitAt[index] ?? -Infinity);
    const flash = !reduced && since >= 0 && since < EFFECT_MS.paddleFlash ? 1 - since / EFFECT_MS.paddleFlash : 0;
    const pad = 26 + 30 * flash;
    ctx.globalCompositeOperation = 'lighter';
    ctx.globalAlpha = 0.32 + 0.5 * flash;
    ctx.drawImage(glow(base), paddle.x - pad, paddle.y - pad, pw + pad * 2, ph + pad * 2);
    ctx.globalCompositeOperation = 'source-over';
    ctx.globalAlpha = 1;
    ctx.fillStyle = flash > 0 ? mix(base, '#ffffff', flash * 0.85) : base;
    roundRect(ctx, paddle.x, paddle.y, pw, ph, pw / 2.5);
  });

  // The touch grip: chevrons at both ends of the paddle a finger can drag, and where the finger wants it.
  const controlled = hud.controlled ?? null;
  const mine = controlled !== null ? view.paddles[controlled] : undefined;
  if (mine && hud.touch) {
    const cx = mine.x + pw / 2;
    ctx.fillStyle = 'rgba(124,196,255,0.75)';
    for (const [y, dir] of [[mine.y - 20, -1], [mine.y + ph + 20, 1]] as const) {
      ctx.beginPath();
      ctx.moveTo(cx, y + dir * 16);
      ctx.lineTo(cx - 18, y);
      ctx.lineTo(cx + 18, y);
      ctx.closePath();
      ctx.fill();
    }
    if (hud.touchTarget !== null && hud.touchTarget !== undefined) {
      ctx.strokeStyle = 'rgba(124,196,255,0.45)';
      ctx.lineWidth = 3;
      ctx.setLineDash([10, 8]);
      ctx.strokeRect(mine.x - 4, hud.touchTarget, pw + 8, ph);
      ctx.setLineDash([]);
    }
  }

  // Wall sparks.
  if (!reduced) {
    for (const spark of fx.sparks) {
      const t = (now - spark.t) / EFFECT_MS.spark;
      if (t < 0 || t >= 1) continue;
      ctx.strokeStyle = `rgba(255,255,255,${(0.7 * (1 - t)).toFixed(3)})`;
      ctx.lineWidth = 4 * (1 - t) + 1;
      ctx.beginPath();
      ctx.arc(spark.x, spark.y, 8 + 34 * t, 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  // The new direction after a hit: a short streak the way the ball now goes.
  if (fx.streak) {
    const t = (now - fx.streak.t) / EFFECT_MS.streak;
    if (t >= 0 && t < 1) {
      const s = fx.streak;
      const color = s.side === 'left' ? COLORS.left : COLORS.right;
      const length = Math.min(W, H) * 0.5;
      const gradient = ctx.createLinearGradient(s.x, s.y, s.x + s.dx * length, s.y + s.dy * length);
      gradient.addColorStop(0, `${color}${Math.round((1 - t) * 230).toString(16).padStart(2, '0')}`);
      gradient.addColorStop(1, `${color}00`);
      ctx.strokeStyle = gradient;
      ctx.lineWidth = layout.ballSize * 0.5;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(s.x, s.y);
      ctx.lineTo(s.x + s.dx * length, s.y + s.dy * length);
      ctx.stroke();
      ctx.lineCap = 'butt';
    }
  }

  // The ball: its trail (longer and brighter as it speeds up), a glow, the ball.
  const ball = view.ball;
  if (ball) {
    const color = speedColor(fx.speedNorm);
    const trail = fx.trail;
    // A comet's tail through the last positions: transparent at its end, the ball's colour at its head.
    if (trail.length > 1) {
      const tail = trail[0];
      const head = trail[trail.length - 1];
      if (tail.x !== head.x || tail.y !== head.y) {
        const strength = 0.45 + 0.45 * fx.speedNorm;
        const gradient = ctx.createLinearGradient(tail.x, tail.y, head.x, head.y);
        gradient.addColorStop(0, `${color}00`);
        gradient.addColorStop(1, `${color}${Math.round(strength * 255).toString(16).padStart(2, '0')}`);
        ctx.strokeStyle = gradient;
        ctx.lineJoin = 'round';
        ctx.lineCap = 'butt';
        ctx.globalCompositeOperation = 'lighter';
        ctx.beginPath();
        ctx.moveTo(tail.x, tail.y);
        for (let i = 1; i < trail.length; i++) ctx.lineTo(trail[i].x, trail[i].y);
        ctx.lineWidth = layout.ballSize * 0.85;
        ctx.globalAlpha = 0.55;
        ctx.stroke();
        ctx.lineWidth = layout.ballSize * 0.35;
        ctx.globalAlpha = 1;
        ctx.stroke();
        ctx.globalCompositeOperation = 'source-over';
        ctx.lineJoin = 'miter';
      }
    }
    const r = layout.ballSize / 2;
    const cx = ball.x + r;
    const cy = ball.y + r;
    const halo = r * (3.2 + 1.6 * fx.speedNorm);
    ctx.globalCompositeOperation = 'lighter';
    ctx.globalAlpha = 0.45 + 0.35 * fx.speedNorm;
    ctx.drawImage(glow(color), cx - halo, cy - halo, halo * 2, halo * 2);
    ctx.globalCompositeOperation = 'source-over';
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
    ctx.fill();
  }

  drawText(ctx, g, ratio, view, fx, hud, now);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** Everything written on the canvas, upright whatever the rotation. */
function drawText(ctx: CanvasRenderingContext2D, g: Geometry, ratio: number, view: FieldView, fx: Effects, hud: Hud, now: number): void {
  const rect = fieldRect(g);
  const reduced = fx.reducedMotion;
  const popScale = (side: Side) => {
    if (reduced || !fx.pop || fx.pop.side !== side) return 1;
    const t = (now - fx.pop.t) / EFFECT_MS.pop;
    return t >= 0 && t < 1 ? 1 + 0.7 * (1 - t) ** 2 : 1;
  };

  // The score: on the field's halves (the local game), or, on a phone held upright, above and below the field.
  const tally = view.tally ?? (view.scores ? { left: view.scores.left, right: view.scores.right } : null);
  const names = view.scores ? { left: view.scores.leftLabel, right: view.scores.rightLabel } : hud.names ?? null;
  if (g.rotated && tally && names) {
    const band = Math.min(g.top, g.cssHeight - (g.top + rect.h));
    const inside = band < 34;
    // Top: the left-hand side (the opponent); bottom: the right-hand side (the viewer).
    for (const side of ['left', 'right'] as const) {
      const top = side === 'left';
      const y = inside ? (top ? rect.y + 24 : rect.y + rect.h - 24) : top ? g.top / 2 : rect.y + rect.h + (g.cssHeight - rect.y - rect.h) / 2;
      const background = inside ? COLORS.leftHalf : COLORS.frame;
      const color = side === 'left' ? COLORS.left : COLORS.right;
      const scorePx = Math.min(34, Math.max(22, band * 0.6));
      // Room on the right for the mute button at the top.
      const scoreX = rect.x + rect.w - (top ? 56 : 14);
      label(ctx, ratio, String(tally[side]), scoreX, y, { px: scorePx, color, background, weight: '800', align: 'right', scale: popScale(side), outline: inside });
      const name = fitText(ctx, names[side], 17, rect.w - 120);
      label(ctx, ratio, name, rect.x + 12, y, { px: 17, color: COLORS.label, background, align: 'left', outline: inside });
    }
  } else if (!g.rotated && view.scores) {
    const px = Math.max(28, rect.h / 6);
    const y = rect.y + rect.h / 20 + px / 2;
    for (const side of ['left', 'right'] as const) {
      const x = rect.x + (side === 'left' ? rect.w / 4 : (rect.w * 3) / 4);
      label(ctx, ratio, String(view.scores[side]), x, y, { px, color: side === 'left' ? COLORS.left : COLORS.right, weight: '800', scale: popScale(side) });
      label(ctx, ratio, side === 'left' ? view.scores.leftLabel : view.scores.rightLabel, x, y + px * 0.55 + 14, { px: Math.max(MIN_LABEL_PX, rect.h / 32), color: COLORS.label });
    }
  }

  const centre = { x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 };
  if (view.overlay && view.countdown === null) {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
    label(ctx, ratio, view.overlay, centre.x, centre.y, { px: Math.min(rect.w, rect.h) / 6, color: COLORS.text, weight: '800', background: '#05070b' });
  }

  if (view.countdown !== null) {
    const t = (now - fx.countdownAt) / EFFECT_MS.countdownPop;
    const scale = reduced || t < 0 || t >= 1 ? 1 : 1 + 0.45 * (1 - t) ** 2;
    const px = Math.max(44, Math.min(150, Math.min(rect.w, rect.h) * 0.3));
    label(ctx, ratio, String(view.countdown), centre.x, centre.y, { px, color: COLORS.text, weight: '800', scale, outline: true });
    // Who the serve goes to, in words under the arrow.
    const serve = view.serve;
    if (serve && serve.x !== 0) {
      const towards: Side = serve.x > 0 ? 'right' : 'left';
      const who = names ? names[towards] : null;
      const text = who ? (who === 'You' ? 'Serve to you' : `Serve to ${who}`) : towards === 'right' ? 'Serve to the right' : 'Serve to the left';
      const px2 = 17;
      const y = centre.y + px * 0.5 + 26;
      label(ctx, ratio, fitText(ctx, text, px2, rect.w - 24), centre.x, y, { px: px2, color: COLORS.text, outline: true });
    }
    if (hud.touch && hud.controlled !== null && hud.controlled !== undefined && hud.touchTarget == null) {
      const paddle = view.paddles[hud.controlled];
      if (paddle) {
        const at = toScreen(g, paddle.x + view.layout.paddleWidth / 2, paddle.y + view.layout.paddleHeight / 2);
        const below = g.rotated ? at.y - 44 : at.y;
        const x = g.rotated ? at.x : at.x - 70;
        label(ctx, ratio, 'Drag to move', Math.max(rect.x + 70, Math.min(rect.x + rect.w - 70, x)), below, { px: 16, color: COLORS.label, outline: true });
      }
    }
  }
}
