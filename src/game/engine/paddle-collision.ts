import type { Layout } from './layout.js';
import type { Ball, Paddle } from './state.js';

export type ContactKind = 'face' | 'side';

export interface CollisionOutcome {
  readonly ball: Ball;
  readonly paddle: Paddle;
  readonly contact: ContactKind | null;
}

/**
 * The ball against one paddle. A contact needs one vertical edge of the ball strictly
 * inside the paddle's horizontal span while the two overlap vertically; every
 * paddle is solid on both faces.
 */
export function collideWithPaddle(layout: Layout, ball: Ball, paddle: Paddle): CollisionOutcome {
  const size = layout.ballSize;
  const left = paddle.x;
  const right = paddle.x + layout.paddleWidth;
  const leftEdgeInside = ball.x > left && ball.x < right;
  const rightEdgeInside = ball.x + size > left && ball.x + size < right;
  const verticalOverlap = ball.y + size > paddle.y && ball.y < paddle.y + layout.paddleHeight;

  if (!((leftEdgeInside || rightEdgeInside) && verticalOverlap)) {
    const gliding = ball.x < right && ball.x + size > left;
    return { ball, paddle: gliding === paddle.gliding ? paddle : { ...paddle, gliding }, contact: null };
  }
  if (paddle.gliding) {
    return { ball: sideContact(layout, ball, paddle), paddle, contact: 'side' };
  }
  return { ball: faceContact(layout, ball, paddle), paddle, contact: 'face' };
}

/**
 * The ball was already level with the paddle and the paddle moved onto it:
 * push the ball off the nearer end and send it away vertically, without
 * touching its horizontal motion or its speed.
 */
function sideContact(layout: Layout, ball: Ball, paddle: Paddle): Ball {
  const top = paddle.y;
  const bottom = paddle.y + layout.paddleHeight;
  const towardsPaddle = (ball.y > top && ball.speedY < 0) || (ball.y <= top && ball.speedY > 0);
  const speedY = towardsPaddle ? -ball.speedY : ball.speedY;
  const y = Math.abs(ball.y - bottom) < Math.abs(ball.y - top) ? bottom : top - layout.ballSize;
  return { ...ball, y, speedY };
}

/**
 * A hit on a face: reverse, speed up to the cap, and aim by where the ball
 * met the paddle — straight back at the centre, up to the maximum bounce
 * angle at the ends (a little beyond it, as the impact is not clamped).
 */
function faceContact(layout: Layout, ball: Ball, paddle: Paddle): Ball {
  const halfHeight = layout.paddleHeight / 2;
  const sign = -ball.speedX < 0 ? -1 : 1;
  const speed = Math.min(ball.speed + layout.speedIncrement, layout.maxSpeed);
  const impact = (paddle.y + halfHeight - (ball.y + layout.ballSize / 2)) / halfHeight;
  const angle = impact * layout.maxBounceAngle;
  // The rule leaves the ball on the face its rightmost edge is inside. Putting it
  // on the side it now travels towards is the same in every case a 60 Hz or
  // 15 Hz safe-zone step can reach, and stays right for long client-side
  // prediction steps where the ball ends up wholly inside a left-side paddle.
  const x = sign < 0 ? paddle.x - layout.ballSize : paddle.x + layout.paddleWidth;
  return {
    x,
    y: ball.y,
    speedX: sign * speed * Math.cos(angle),
    // `0 -` keeps a dead-centre hit at +0 rather than −0.
    speedY: 0 - speed * Math.sin(angle),
    speed,
  };
}
