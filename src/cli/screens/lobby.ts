import type { Lobby, LobbyMember } from '../../client/types.js';
import { Styles, type Canvas } from '../canvas.js';
import { isCreator, meIn, membersOf, seatsPerTeam, teamOf, waitingFor } from '../play/lobby.js';
import { drawPrompt, fit, play, PROMPT_HINTS, promptKey, typed } from './play-common.js';
import type { ScreenModule } from './types.js';

/**
 * A lobby: its code, the teams (custom game: team A, team B and the bench;
 * clash: one team of up to 3), who is ready, and what the game waits for.
 * It changes live with the members' events.
 */

const modeTitle = (lobby: Lobby) => (lobby.game_mode === 'clash' ? 'Clash 3v3' : `Custom game ${lobby.match_type}`);

/** One member's row: `✓ ★ ann (you)` (✓ ready, · not ready; ★ the creator; `(you)` the viewer). */
export function memberLine(member: LobbyMember, myId: number | undefined, bench: boolean, width: number): string {
  const name = `${member.creator ? '★ ' : ''}${member.username}${member.id === myId ? ' (you)' : ''}`;
  return fit(`${bench ? '  ' : member.is_ready ? '✓ ' : '· '}${name}`, width);
}

function drawColumn(canvas: Canvas, x: number, y: number, width: number, title: string, members: LobbyMember[], seats: number, lobby: Lobby, myId: number | undefined, bench: boolean): number {
  canvas.put(x, y, fit(title, width), Styles.bold);
  let row = y + 1;
  for (const member of members) {
    const style = member.id === myId ? Styles.cyan : member.is_ready && !bench ? Styles.green : Styles.none;
    canvas.put(x, row++, memberLine(member, myId, bench, width), style);
  }
  for (let free = members.length; free < seats; free++) {
    canvas.put(x, row++, fit(lobby.bot ? '  · free: a computer' : '  · free seat', width), Styles.dim);
  }
  if (bench && members.length === 0) canvas.put(x, row++, fit('  (nobody)', width), Styles.dim);
  return row;
}

export const lobbyScreen: ScreenModule = {
  render(canvas, host, area) {
    const features = play(host);
    const lobby = features.state.lobby;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    const myId = host.controller.state.user?.id;
    if (!lobby) {
      canvas.put(x, area.top, features.state.busy ?? 'Loading the lobby…', Styles.yellow);
      return;
    }
    let y = area.top;
    const bots = lobby.game_mode === 'custom_game' ? ` · computer players: ${lobby.bot ? 'on' : 'off'}` : '';
    canvas.put(x, y, fit(`${modeTitle(lobby)} · code ${lobby.code}${bots}`, width), Styles.bold);
    const creator = lobby.participants.find((p) => p.creator);
    canvas.put(x, y + 1, fit(`${lobby.participants.length}/${lobby.max_participants} members · creator: ${creator?.username ?? '—'}${isCreator(lobby, myId) ? ' (you)' : ''}`, width), Styles.dim);
    y += 3;
    let bottom: number;
    if (lobby.game_mode === 'clash') {
      bottom = drawColumn(canvas, x, y, Math.min(width, 40), `Your team (${lobby.participants.length}/${lobby.max_participants})`, lobby.participants, 0, lobby, myId, false);
    } else {
      const seats = seatsPerTeam(lobby);
      const column = Math.floor((width - 4) / 3);
      const a = membersOf(lobby, 'a');
      const b = membersOf(lobby, 'b');
      const bench = membersOf(lobby, 'spectator');
      bottom = Math.max(
        drawColumn(canvas, x, y, column, `Team A (${a.length}/${seats})`, a, seats, lobby, myId, false),
        drawColumn(canvas, x + column + 2, y, column, `Team B (${b.length}/${seats})`, b, seats, lobby, myId, false),
        drawColumn(canvas, x + 2 * (column + 2), y, column, `Bench (${bench.length})`, bench, 0, lobby, myId, true),
      );
    }
    y = bottom + 1;
    const waiting = lobby.game_playing ? `A game is being played (match ${lobby.game_playing}).` : waitingFor(lobby);
    if (waiting) canvas.put(x, y, fit(waiting, width), lobby.game_playing ? Styles.yellow : Styles.none);
    if (lobby.game_mode === 'custom_game' || lobby.participants.length > 0) canvas.put(x, y + 1, fit('✓ ready   · not ready   ★ creator', width), Styles.dim);
    y += 3;
    const me = meIn(lobby, myId);
    const onBench = lobby.game_mode === 'custom_game' && me && teamOf(me) === 'spectator';
    const keys = lobby.game_mode === 'clash'
      ? 'r: ready / not ready · l: leave the lobby · Esc: play menu'
      : `r: ${onBench ? '(on the bench you watch)' : 'ready / not ready'} · a / b: team A / B · e: bench · l: leave`;
    const limit = area.top + area.height;
    if (y < limit) canvas.put(x, y++, fit(keys, width), Styles.key);
    if (lobby.game_mode === 'custom_game' && isCreator(lobby, myId) && y < limit) {
      canvas.put(x, y++, fit('creator: g start · m 1v1 / 3v3 · c computer players on / off', width), Styles.key);
    }
    if (features.state.busy && y < limit) canvas.put(x, y, fit(features.state.busy, width), Styles.yellow);
    if (features.state.prompt) drawPrompt(canvas, features.state.prompt, area);
  },

  key(key, host) {
    if (promptKey(key, host)) return;
    if (key.release) return;
    const features = play(host);
    if (key.name === 'escape' || key.name === 'backspace') return features.back();
    switch (typed(key)?.toLowerCase()) {
      case 'r':
        return void features.toggleReady();
      case 'a':
        return void features.moveTo('a');
      case 'b':
        return void features.moveTo('b');
      case 'e':
        return void features.moveTo('spectator');
      case 'm':
        return void features.toggleMatchType();
      case 'c':
        return void features.toggleBots();
      case 'g':
        return void features.startLobby();
      case 'l':
        return void features.leaveLobby();
      case 'j':
        return features.ask('lobby-code');
      case 'q':
        return features.back();
      default:
    }
  },

  hints: (host) => {
    const features = play(host);
    if (features.state.prompt) return PROMPT_HINTS;
    return features.state.lobby?.game_mode === 'clash' ? 'r ready · l leave · Esc back' : 'r ready · a/b/e seat · l leave · Esc back';
  },
};
