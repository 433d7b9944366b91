import { Styles } from '../canvas.js';
import { bigNumberWidth, drawBigNumber } from '../field.js';
import { trophyText } from '../social/texts.js';
import type { ScreenModule } from './types.js';

export const endScreen: ScreenModule = {
  render(canvas, host, area) {
    const game = host.controller.game;
    const over = game?.over;
    if (!game || !over) return;
    const y = area.top + Math.max(1, Math.floor(area.height / 2) - 6);
    const normal = over.reason === 'normal-end' || over.reason === 'player-disconnect' || over.reason === 'player-not-connected';
    if (normal && over.winner) {
      const won = game.model.won;
      canvas.center(y, won ? '★  VICTORY  ★' : 'DEFEAT', won ? '1;32' : '1;31');
      canvas.center(y + 1, won ? `You beat ${game.opponent}!` : `${game.opponent} won this time.`, Styles.none);
      if (over.reason !== 'normal-end') canvas.center(y + 2, `(${over.reason === 'player-disconnect' ? 'a player left the game' : 'a player never connected'})`, Styles.dim);
    } else {
      canvas.center(y, 'The game ended abnormally', Styles.error);
      canvas.center(y + 1, `Reason: ${over.reason}`, Styles.none);
    }
    const mid = Math.floor(area.width / 2);
    drawBigNumber(canvas, mid - 4 - bigNumberWidth(game.model.score.opponent), y + 4, game.model.score.opponent, Styles.red);
    canvas.put(mid - 1, y + 5, '–', Styles.dim);
    drawBigNumber(canvas, mid + 3, y + 4, game.model.score.me, Styles.blue);
    canvas.center(y + 8, `${game.opponent} ${game.model.score.opponent} – ${game.model.score.me} you · match ${game.match.code}`, Styles.dim);
    if (game.match.game_mode === 'ranked') {
      // The trophies this ranked match gave (social/social.ts reads them once the server has recorded it).
      const trophies = host.controller.social?.state.trophies;
      const change = trophies?.matchId === game.match.id ? trophies : null;
      canvas.center(y + 9, trophyText(change), change?.change == null ? Styles.dim : change.change >= 0 ? '1;32' : '1;31');
    }
    canvas.center(y + 10, `Enter: ${host.controller.play.returnLabel(game.match)} · q: quit`, Styles.key);
  },

  key(key, host) {
    if (key.release) return;
    if (key.name === 'enter' || key.name === 'escape' || (key.name === 'char' && key.ch === 'm')) host.controller.back();
    else if (key.name === 'char' && !key.ctrl && key.ch === 'q') host.quit();
  },

  hints: (host) => `Enter ${host.controller.game ? host.controller.play.returnLabel(host.controller.game.match) : 'main menu'} · q quit`,
};
