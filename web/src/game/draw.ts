import type { FieldView } from './view';

export const COLORS = {
  background: '#0b0e16',
  line: 'rgba(255,255,255,0.18)',
  left: '#ef5b5b',
  right: '#4f9dff',
  mine: '#7cc4ff',
  ball: '#f5f7fa',
  text: '#f5f7fa',
} as const;

/** Draws one frame in field units (the caller scaled the context). */
export function drawField(ctx: CanvasRenderingContext2D, view: FieldView): void {
  const { layout } = view;
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, layout.width, layout.height);

  ctx.strokeStyle = COLORS.line;
  ctx.lineWidth = 4;
  ctx.setLineDash([18, 18]);
  ctx.beginPath();
  ctx.moveTo(layout.width / 2, 0);
  ctx.lineTo(layout.width / 2, layout.height);
  ctx.stroke();
  ctx.setLineDash([]);

  if (view.scores) {
    ctx.fillStyle = 'rgba(255,255,255,0.35)';
    ctx.font = `bold ${Math.round(layout.height / 6)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(String(view.scores.left), layout.width / 4, layout.height / 20);
    ctx.fillText(String(view.scores.right), (layout.width * 3) / 4, layout.height / 20);
    ctx.font = `${Math.round(layout.height / 28)}px system-ui, sans-serif`;
    ctx.fillText(view.scores.leftLabel, layout.width / 4, layout.height / 20 + layout.height / 5.5);
    ctx.fillText(view.scores.rightLabel, (layout.width * 3) / 4, layout.height / 20 + layout.height / 5.5);
  }

  for (const paddle of view.paddles) {
    ctx.fillStyle = paddle.mine ? COLORS.mine : paddle.side === 'left' ? COLORS.left : COLORS.right;
    ctx.fillRect(paddle.x, paddle.y, layout.paddleWidth, layout.paddleHeight);
  }

  if (view.ball) {
    ctx.fillStyle = COLORS.ball;
    ctx.fillRect(view.ball.x, view.ball.y, layout.ballSize, layout.ballSize);
  }

  const overlay = view.countdown !== null ? String(view.countdown) : (view.overlay ?? null);
  if (overlay) {
    if (view.overlay && view.countdown === null) {
      ctx.fillStyle = 'rgba(0,0,0,0.5)';
      ctx.fillRect(0, 0, layout.width, layout.height);
    }
    ctx.fillStyle = COLORS.text;
    ctx.font = `bold ${Math.round(layout.height / 5)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(overlay, layout.width / 2, layout.height / 2);
  }
}
