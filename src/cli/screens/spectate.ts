import type { FieldView } from '../../client/game-model.js';
import { Styles, type Canvas } from '../canvas.js';
import { bigNumberWidth, drawBigNumber, drawField, fieldSize } from '../field.js';
import type { GameSession } from '../game-client.js';
import type { LocalMatch } from '../play/local-game.js';
import { paddleDirectionOf } from '../keys.js';
import { fit, play, typed } from './play-common.js';
import type { Area, ScreenHost, ScreenModule } from './types.js';

/**
 * Two screens that draw a field without playing on the server: watching a
 * match (spectate: team a on the right, as the server sends it to
 * spectators) and the local game (two players on one keyboard).
 */

/** A box of sentences over the field. */
export function overlay(canvas: Canvas, lines: Array<[string, string]>, midY: number): void {
  const width = Math.min(canvas.width - 2, Math.max(...lines.map(([text]) => text.length)) + 6);
  const x = Math.floor((canvas.width - width) / 2);
  const y = midY - Math.floor(lines.length / 2) - 1;
  canvas.clear(x, y, width, lines.length + 2);
  canvas.box(x, y, width, lines.length + 2, Styles.yellow);
  lines.forEach(([text, style], index) => canvas.center(y + 1 + index, fit(text, width - 2), style, x, width));
}

/**
 * The field with the big scores above and the names below (left and right);
 * answers the row of the field's middle (for an overlay). Small terminals drop the big digits.
 */
export function drawArena(canvas: Canvas, area: Area, title: string, view: FieldView, score: { left: number; right: number }, names: { left: string; right: string }, styles = { left: Styles.red, right: Styles.blue }): number {
  const top = area.top;
  canvas.center(top, fit(title, area.width - 2), Styles.dim);
  const mid = Math.floor(area.width / 2);
  const big = area.height >= 16;
  let fieldTop = top + 1;
  if (big) {
    drawBigNumber(canvas, mid - 4 - bigNumberWidth(score.left), top + 1, score.left, styles.left);
    canvas.put(mid - 1, top + 2, '–', Styles.dim);
    drawBigNumber(canvas, mid + 3, top + 1, score.right, styles.right);
    fieldTop = top + 4;
  }
  const size = fieldSize(area.width - 2, area.top + area.height - fieldTop - 3, view.layout.width, view.layout.height);
  const x0 = Math.floor((area.width - size.cols - 2) / 2);
  drawField(canvas, x0, fieldTop, size, view);
  const below = fieldTop + size.rows + 2;
  const half = Math.max(4, Math.floor(size.cols / 2) - 1);
  const left = big ? names.left : `${names.left} ${score.left}`;
  const right = big ? names.right : `${score.right} ${names.right}`;
  canvas.put(x0 + 1, below, fit(left, half), styles.left);
  const shownRight = fit(right, half);
  canvas.put(x0 + size.cols + 1 - shownRight.length, below, shownRight, styles.right);
  return fieldTop + 1 + Math.floor(size.rows / 2);
}

/** The result of a watched match in a sentence: "ann won 3 – 1", "bob left the game: ann won". */
export function spectateResult(game: GameSession, names: { a: string; b: string }): string {
  const over = game.over;
  if (!over) return '';
  const score = `${Math.max(over.team_a, over.team_b)} – ${Math.min(over.team_a, over.team_b)}`;
  if (!over.winner) return `The match ended without a winner (${over.reason}).`;
  const winner = names[over.winner];
  if (over.reason === 'player-disconnect') return `A player left: ${winner} won (${score}).`;
  if (over.reason === 'player-not-connected') return `A player never came: ${winner} won (${score}).`;
  return `${winner} won ${score}.`;
}

export const spectateScreen: ScreenModule = {
  render(canvas, host, area) {
    const features = play(host);
    const game = features.spectator;
    const info = features.state.spectate;
    if (!game || !info) return;
    const view = game.frame();
    const { score } = game.model.status;
    const mode = info.mode ? ` · ${info.mode.replace('_', ' ')}` : '';
    const title = `Watching match ${info.code}${mode} · ${info.names.b} (left) vs ${info.names.a} (right)`;
    const midY = drawArena(canvas, area, title, view, score, { left: info.names.b, right: info.names.a }, { left: Styles.red, right: Styles.blue });
    if (game.over) {
      overlay(canvas, [[spectateResult(game, info.names), Styles.bold], ['Esc: back', Styles.key]], midY);
    } else if (game.connection === 'connecting') {
      overlay(canvas, [['Connecting to the match…', Styles.yellow]], midY);
    } else if (game.connection === 'lost') {
      overlay(canvas, [[game.problem ?? 'Connection to the game server lost.', Styles.error], ['r: reconnect · Esc: back', Styles.key]], midY);
    } else if (game.connection === 'refused') {
      overlay(canvas, [[`Match ${info.code} cannot be watched:`, Styles.error], [game.problem ?? 'it is over or does not exist', Styles.none], ['Esc: back', Styles.key]], midY);
    } else if (game.model.phase === 'waiting') {
      overlay(canvas, [['Waiting for the players…', Styles.yellow]], midY);
    } else if (view.countdown !== null) {
      overlay(canvas, [[String(view.countdown), '1;33']], midY);
    }
  },

  key(key, host) {
    if (key.release) return;
    const features = play(host);
    const ch = typed(key)?.toLowerCase();
    if (key.name === 'escape' || key.name === 'backspace' || ch === 'q') features.leaveSpectate();
    else if (ch === 'r') features.retrySpectate();
  },

  hints: (host) => (play(host).spectator?.connection === 'lost' ? 'r reconnect · Esc back' : 'Esc back · watching, no keys to play'),
};

/** "Right player (↑/↓) won 3 – 1". */
export function localResult(match: LocalMatch): string {
  const { left, right } = match.score;
  const winner = match.winner === 'right' ? 'Right player (↑/↓)' : 'Left player (W/S)';
  return `${winner} won ${Math.max(left, right)} – ${Math.min(left, right)}`;
}

function localKey(host: ScreenHost, key: Parameters<ScreenModule['key']>[0]): void {
  const features = play(host);
  const match = features.local;
  if (!match) return;
  const direction = paddleDirectionOf(key);
  if (direction !== null) {
    const side = key.name === 'char' ? 'left' : 'right';
    const held = features.localKeys[side];
    const source = key.name === 'char' ? 'letter' : 'arrow';
    if (key.release) held.release(direction, source);
    else held.press(direction, host.now(), source, key.repeat);
    features.localInput(host.now());
    return;
  }
  if (key.release) return;
  const ch = typed(key)?.toLowerCase();
  if (key.name === 'space' || ch === 'p') match.togglePause();
  else if (key.name === 'enter' && match.over) match.restart(host.now());
  else if (key.name === 'escape' || key.name === 'backspace' || ch === 'q') features.leaveLocal();
}

export const localScreen: ScreenModule = {
  render(canvas, host, area) {
    const features = play(host);
    const match = features.local;
    if (!match) return;
    const now = host.now();
    features.localInput(now);
    const view = match.frame(now);
    const midY = drawArena(canvas, area, 'Local game · left: W / S · right: ↑ / ↓ · first to 3', view, match.score, { left: 'Left (W/S)', right: 'Right (↑/↓)' });
    if (match.over) overlay(canvas, [[localResult(match), Styles.bold], ['Enter: play again · Esc: back', Styles.key]], midY);
    else if (match.paused) overlay(canvas, [['Paused', Styles.yellow], ['Space: go on · Esc: back', Styles.key]], midY);
    else if (view.countdown !== null) overlay(canvas, [[String(view.countdown), '1;33']], midY);
  },

  key: (key, host) => localKey(host, key),

  hints: () => 'W/S left · ↑/↓ right · Space pause · Esc back',
};
