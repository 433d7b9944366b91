import { Styles } from '../canvas.js';
import type { ScreenModule } from './types.js';

const MODES = ['global', 'duel', 'ranked', 'clash', 'tournament'];

export const profileScreen: ScreenModule = {
  render(canvas, host, area) {
    const screen = host.controller.state.screen;
    if (screen.name !== 'profile') return;
    const x = Math.max(2, Math.floor(area.width / 2) - 34);
    let y = area.top + 1;
    if (!screen.profile) {
      canvas.put(x, y, 'Loading the profile…', Styles.yellow);
      return;
    }
    const { me, stats, ranked } = screen.profile;
    canvas.put(x, y, `${me.username}`, Styles.bold);
    canvas.put(x + me.username.length + 1, y, `#${me.id}${me.is_guest ? ' · guest' : ' · registered'}`, Styles.dim);
    y += 1;
    canvas.put(x, y, `Trophies: ${me.trophies}`, Styles.yellow);
    canvas.put(x + 18, y, `Picture: ${me.profile_picture?.name ?? '-'}`);
    canvas.put(x + 40, y, `Member since ${me.created_at.slice(0, 10)}`, Styles.dim);
    y += 1;
    canvas.put(x, y, `Friend requests: ${me.notifications.friend_requests} · unread chats: ${me.notifications.chats}`, Styles.dim);
    y += 2;
    canvas.put(x, y, 'Mode'.padEnd(12) + 'Played'.padStart(8) + 'Wins'.padStart(8) + 'Goals'.padStart(8) + 'Streak'.padStart(8) + 'Best'.padStart(8), Styles.bold);
    y += 1;
    for (const mode of MODES) {
      const row = stats.find((r) => r.game_mode === mode);
      if (!row) continue;
      canvas.put(x, y, mode.padEnd(12) + String(row.game_played).padStart(8) + String(row.wins).padStart(8) + String(row.scored).padStart(8)
        + String(row.current_win_streak).padStart(8) + String(row.longest_win_streak).padStart(8));
      y += 1;
    }
    y += 1;
    canvas.put(x, y, 'Latest trophy changes', Styles.bold);
    y += 1;
    if (ranked.length === 0) canvas.put(x, y++, 'No trophy change yet.', Styles.dim);
    for (const row of ranked) {
      if (y >= area.top + area.height) break;
      const change = row.trophies >= 0 ? `+${row.trophies}` : String(row.trophies);
      canvas.put(x, y++, `${row.at.slice(0, 16).replace('T', ' ')}  ${change.padStart(4)} → ${row.total_trophies} trophies`, row.trophies >= 0 ? Styles.green : Styles.red);
    }
  },

  key(key, host) {
    if (key.release) return;
    if (key.name === 'escape' || key.name === 'backspace' || key.name === 'enter' || (key.name === 'char' && !key.ctrl && (key.ch === 'q' || key.ch === 'b'))) host.controller.back();
  },

  hints: () => 'Esc/Enter back to the menu',
};
