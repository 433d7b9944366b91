import { Styles, type Canvas } from '../canvas.js';
import { bigNumberWidth, drawBigNumber, drawField, fieldSize } from '../field.js';
import { paddleDirectionOf } from '../keys.js';
import type { ScreenHost, ScreenModule } from './types.js';

function overlay(canvas: Canvas, lines: Array<[string, string]>, midY: number): void {
  const width = Math.min(canvas.width - 2, Math.max(...lines.map(([text]) => text.length)) + 6);
  const x = Math.floor((canvas.width - width) / 2);
  const y = midY - Math.floor(lines.length / 2) - 1;
  canvas.clear(x, y, width, lines.length + 2);
  canvas.box(x, y, width, lines.length + 2, Styles.yellow);
  lines.forEach(([text, style], index) => canvas.center(y + 1 + index, text, style, x, width));
}

export const gameScreen: ScreenModule = {
  render(canvas, host, area) {
    const game = host.controller.game;
    if (!game) return;
    const view = game.frame();
    const { model } = game;
    const top = area.top;
    canvas.center(top, `Match ${game.match.code} · ${game.match.game_mode} · ${game.opponent} (red) vs you (blue)`, Styles.dim);
    // Scores: opponent left, me right (I always play on the right).
    const mid = Math.floor(area.width / 2);
    drawBigNumber(canvas, mid - 4 - bigNumberWidth(model.score.opponent), top + 1, model.score.opponent, Styles.red);
    canvas.put(mid - 1, top + 2, '–', Styles.dim);
    drawBigNumber(canvas, mid + 3, top + 1, model.score.me, Styles.blue);

    const size = fieldSize(area.width - 2, area.height - 6, view.layout.width, view.layout.height);
    const x0 = Math.floor((area.width - size.cols - 2) / 2);
    const y0 = top + 4;
    drawField(canvas, x0, y0, size, view);
    canvas.put(x0 + 1, y0 + size.rows + 2, game.opponent, Styles.red);
    const me = host.controller.state.user?.username ?? 'you';
    canvas.put(x0 + size.cols + 1 - me.length, y0 + size.rows + 2, me, Styles.blue);

    const fieldMid = y0 + 1 + Math.floor(size.rows / 2);
    if (host.ui.confirmLeave) {
      overlay(canvas, [['Leave the game?', Styles.bold], ['Leaving abandons it: you lose if you are not back within 10 s.', Styles.none], ['y: leave · n: keep playing', Styles.key]], fieldMid);
    } else if (game.connection === 'connecting') {
      overlay(canvas, [['Connecting to the game server…', Styles.yellow]], fieldMid);
    } else if (game.connection === 'lost') {
      overlay(canvas, [[game.problem ?? 'Connection to the game server lost.', Styles.error], ['r: reconnect · Esc: back to the menu', Styles.key]], fieldMid);
    } else if (game.connection === 'refused') {
      overlay(canvas, [['The game server refused the connection:', Styles.error], [game.problem ?? '', Styles.none], ['Esc: back to the menu', Styles.key]], fieldMid);
    } else if (model.phase === 'waiting') {
      overlay(canvas, [[`Waiting for ${game.opponent}…`, Styles.yellow]], fieldMid);
    } else if (view.countdown !== null) {
      const width = bigNumberWidth(view.countdown);
      canvas.clear(x0 + 1 + Math.floor(size.cols / 2) - width, fieldMid - 2, width * 2 + 1, 5);
      drawBigNumber(canvas, x0 + 1 + Math.floor(size.cols / 2) - Math.floor(width / 2), fieldMid - 1, view.countdown, Styles.yellow);
    }
  },

  key(key, host) {
    const { controller, ui, held } = host;
    const game = controller.game;
    if (ui.confirmLeave) {
      if (key.release) return;
      if (key.name === 'char' && key.ch?.toLowerCase() === 'y') {
        ui.confirmLeave = false;
        controller.leaveGame();
      } else if (key.name === 'escape' || (key.name === 'char' && key.ch?.toLowerCase() === 'n')) {
        ui.confirmLeave = false;
      }
      return;
    }
    const direction = paddleDirectionOf(key);
    if (direction !== null) {
      const source = key.name === 'char' ? 'letter' : 'arrow';
      if (key.release) held.release(direction, source);
      else held.press(direction, host.now(), source, key.repeat);
      controller.setInput(held.direction(host.now()));
      return;
    }
    if (key.release) return;
    if (key.name === 'space') {
      held.stop();
      controller.setInput(0);
      return;
    }
    if (game && (game.connection === 'lost' || game.connection === 'refused')) {
      if (key.name === 'char' && key.ch?.toLowerCase() === 'r' && game.connection === 'lost') controller.retry();
      else if (key.name === 'escape' || (key.name === 'char' && key.ch === 'q')) controller.leaveGame();
      return;
    }
    if (key.name === 'escape' || (key.name === 'char' && !key.ctrl && key.ch === 'q')) ui.confirmLeave = true;
  },

  hints: () => '↑/W up · ↓/S down · Space stop · Esc/q leave',
};
