import type { Tournament } from '../../client/types.js';
import { Styles, type Canvas } from '../canvas.js';
import { playerName } from '../play/lobby.js';
import {
  bracketColumns, runningCards, secondsToStart, standingOf, startThreshold,
  type BracketCard, type BracketColumn, type CardPlayer, type Standing, type TournamentView,
} from '../play/tournament.js';
import { drawPrompt, fit, play, PROMPT_HINTS, promptKey, typed } from './play-common.js';
import type { Area, ScreenHost, ScreenModule } from './types.js';

/**
 * The tournament screen: the open tournaments to join (or create one) while
 * the user is in none; the waiting room (players, computer players, the 20 s
 * countdown) before the start; the bracket after it, live, with the viewer's
 * standing and the running games an eliminated player may watch.
 */

/** What the waiting room says about the start. */
export function startLine(tournament: Tournament, now: number): string {
  const seconds = secondsToStart(tournament, now);
  if (seconds !== null) return seconds > 0 ? `Starting in ${seconds} s` : 'Starting now…';
  const joined = (tournament.participants ?? []).length;
  const threshold = startThreshold(tournament.size);
  if (threshold >= tournament.size) return `Starts once ${tournament.size} players are in (${joined}/${tournament.size}).`;
  return `Starts when full, or 20 s after ${threshold} players are in (${joined}/${tournament.size}).`;
}

/** The viewer's standing in a sentence. */
export function standingLine(standing: Standing, view: TournamentView): string {
  switch (standing.kind) {
    case 'waiting':
      return 'Waiting for the start.';
    case 'playing':
      return standing.opponent ? `You play ${standing.opponent} (${standing.stage}): your game starts by itself.` : `You are in the ${standing.stage.toLowerCase()}: waiting for your opponent.`;
    case 'through':
      return `You won your game (${standing.stage}): the next round starts by itself.`;
    case 'out':
      return `You are out (${standing.stage}). Watch a game: ↑↓ select, Enter.`;
    case 'won':
      return '★ You won the tournament! ★';
    case 'over':
      return view.finished ? `The tournament is over: ${view.finished.winner} won it.` : 'The tournament goes on.';
    default:
      return '';
  }
}

function playerCell(player: CardPlayer, width: number): string {
  const score = player.score === null ? '' : String(player.score);
  const name = player.name ?? 'to be decided';
  return `${fit(name, Math.max(1, width - score.length - 1), true)} ${score}`;
}

function playerStyle(player: CardPlayer, card: BracketCard): string {
  if (!player.name) return Styles.dim;
  if (player.me) return player.winner ? '1;36' : Styles.cyan;
  if (player.winner) return Styles.green;
  if (card.finished) return Styles.dim;
  return Styles.none;
}

/** The bracket: one column per round, each later card between its two feeders. */
export function drawBracket(canvas: Canvas, columns: BracketColumn[], x: number, y: number, width: number, height: number, selectedCode: string | null): void {
  if (columns.length === 0) return;
  const colWidth = Math.max(8, Math.floor((width - (columns.length - 1) * 2) / columns.length));
  const first = columns[0].cards.length;
  const room = height - 1;
  const gap = first * 3 - 1 <= room ? 1 : 0;
  const pitch = 2 + gap;
  let rows: number[] = columns[0].cards.map((_, i) => i * pitch);
  columns.forEach((column, c) => {
    const cx = x + c * (colWidth + 2);
    canvas.put(cx, y, fit(column.title, colWidth), Styles.bold);
    if (c > 0) rows = column.cards.map((_, i) => Math.floor(((rows[2 * i] ?? rows[rows.length - 1] ?? 0) + (rows[2 * i + 1] ?? rows[2 * i] ?? 0)) / 2));
    column.cards.forEach((card, i) => {
      const top = y + 1 + (rows[i] ?? i * pitch);
      if (top + 1 >= y + height + 1) return;
      const marker = card.running ? (card.running === selectedCode ? '▶' : '●') : ' ';
      const markerStyle = card.running === selectedCode && card.running ? '1;30;46' : Styles.yellow;
      canvas.put(cx, top, marker, markerStyle);
      canvas.put(cx + 1, top, playerCell(card.top, colWidth - 1), playerStyle(card.top, card));
      canvas.put(cx + 1, top + 1, playerCell(card.bottom, colWidth - 1), playerStyle(card.bottom, card));
    });
  });
}

function drawWaitingRoom(canvas: Canvas, host: ScreenHost, view: TournamentView, x: number, y: number, width: number, limit: number): void {
  const { tournament } = view;
  const myId = host.controller.state.user?.id;
  const features = play(host);
  const participants = tournament.participants ?? [];
  canvas.put(x, y, fit(startLine(tournament, Date.now()), width), secondsToStart(tournament, Date.now()) !== null ? '1;33' : Styles.none);
  y += 2;
  canvas.put(x, y, `Players (${participants.length}/${tournament.size})`, Styles.bold);
  y += 1;
  const perColumn = Math.max(1, Math.min(8, limit - y - 4));
  const columns = Math.ceil(tournament.size / perColumn);
  const colWidth = Math.max(10, Math.floor((width - (columns - 1) * 2) / columns));
  for (let i = 0; i < tournament.size; i++) {
    const member = participants[i];
    const cx = x + Math.floor(i / perColumn) * (colWidth + 2);
    const cy = y + (i % perColumn);
    const text = member ? `${member.id === tournament.created_by ? '★ ' : '  '}${playerName(member)}${member.id === myId ? ' (you)' : ''}` : '  · free seat';
    canvas.put(cx, cy, fit(text, colWidth), member ? (member.id === myId ? Styles.cyan : Styles.none) : Styles.dim);
  }
  y += Math.min(perColumn, tournament.size) + 1;
  const creator = tournament.created_by === myId;
  if (creator && y + 1 < limit) {
    canvas.put(x, y++, fit(`Computer players (you created it): level ◀ ${features.state.computerLevel} ▶ (←/→)`, width), Styles.none);
    canvas.put(x, y++, fit('b: seat one · f: fill every free seat · d: take one back', width), Styles.key);
  }
  if (y < limit) canvas.put(x, y, fit('l: leave the tournament · Esc: play menu', width), Styles.key);
}

function drawSearch(canvas: Canvas, host: ScreenHost, x: number, y: number, width: number, limit: number): void {
  const search = play(host).state.search;
  canvas.put(x, y, 'Tournaments', Styles.bold);
  canvas.put(x, y + 1, fit('n: create one · j: join by code · Enter: join the selected · r: refresh', width), Styles.key);
  y += 3;
  if (!search || (search.loading && search.items.length === 0)) {
    canvas.put(x, y, 'Loading the open tournaments…', Styles.yellow);
    return;
  }
  canvas.put(x, y, `Open tournaments (${search.items.length})`, Styles.bold);
  y += 1;
  if (search.items.length === 0) {
    canvas.put(x, y, fit('None open right now: create one (n), or join one by its code (j).', width), Styles.dim);
    return;
  }
  const visible = Math.max(1, limit - y);
  const first = Math.max(0, Math.min(search.selected - Math.floor(visible / 2), search.items.length - visible));
  for (let i = first; i < Math.min(search.items.length, first + visible); i++) {
    const item = search.items[i];
    const text = ` ${i === search.selected ? '▶' : ' '} ${fit(item.name, Math.max(8, width - 34), true)} ${`${item.n_participants}/${item.size}`.padStart(5)} · by ${fit(item.created_by, 16)}${item.private ? ' · private' : ''}`;
    canvas.put(x, y + i - first, fit(text, width, true), i === search.selected ? '1;30;46' : Styles.none);
  }
}

/** The running game selected on the bracket (the code to watch). */
export function selectedRunning(host: ScreenHost): BracketCard | null {
  const features = play(host);
  const view = features.state.tournament;
  if (!view) return null;
  const running = runningCards(bracketColumns(view, host.controller.state.user?.id));
  if (running.length === 0) return null;
  return running[Math.min(features.state.bracketIndex, running.length - 1)];
}

export const tournamentScreen: ScreenModule = {
  render(canvas, host, area: Area) {
    const features = play(host);
    const view = features.state.tournament;
    const width = Math.min(area.width - 4, 120);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    const limit = area.top + area.height;
    if (!view) {
      drawSearch(canvas, host, x, area.top, width, limit);
    } else {
      const { tournament } = view;
      const state = view.finished ? 'finished' : tournament.is_started ? 'started' : 'waiting for players';
      canvas.put(x, area.top, fit(`Tournament ${tournament.name} · code ${tournament.code} · ${tournament.size} players${tournament.private ? ' · private' : ''} · ${state}`, width), Styles.bold);
      if (!tournament.is_started) {
        drawWaitingRoom(canvas, host, view, x, area.top + 1, width, limit);
      } else {
        const myId = host.controller.state.user?.id;
        const standing = standingOf(view, myId);
        canvas.put(x, area.top + 1, fit(standingLine(standing, view), width), standing.kind === 'won' ? '1;32' : standing.kind === 'out' ? Styles.yellow : Styles.none);
        drawBracket(canvas, bracketColumns(view, myId), x, area.top + 2, width, limit - area.top - 3, selectedRunning(host)?.running ?? null);
      }
    }
    if (host.ui.confirmLeave) {
      const w = Math.min(area.width - 4, 60);
      const bx = Math.floor((area.width - w) / 2);
      const by = area.top + Math.floor(area.height / 2) - 2;
      canvas.clear(bx, by, w, 4);
      canvas.box(bx, by, w, 4, Styles.yellow);
      canvas.put(bx + 2, by + 1, fit('Leave the tournament? After the start you are out.', w - 4), Styles.bold);
      canvas.put(bx + 2, by + 2, 'y: leave · n: stay', Styles.key);
    }
    if (features.state.prompt) drawPrompt(canvas, features.state.prompt, area);
  },

  key(key, host) {
    if (promptKey(key, host)) return;
    if (key.release) return;
    const features = play(host);
    const view = features.state.tournament;
    const ch = typed(key)?.toLowerCase();
    if (host.ui.confirmLeave) {
      if (ch === 'y') {
        host.ui.confirmLeave = false;
        void features.leaveTournament();
      } else if (ch === 'n' || key.name === 'escape') host.ui.confirmLeave = false;
      return;
    }
    if (key.name === 'escape' || key.name === 'backspace' || ch === 'q') return features.back();
    if (!view) {
      const search = features.state.search;
      if (key.name === 'up') return features.selectSearch((search?.selected ?? 0) - 1);
      if (key.name === 'down') return features.selectSearch((search?.selected ?? 0) + 1);
      if (key.name === 'enter') return void features.joinSelectedTournament();
      if (ch === 'n') return features.ask('tournament-name');
      if (ch === 'j') return features.ask('tournament-code');
      if (ch === 'r') return void features.searchTournaments();
      return;
    }
    if (!view.tournament.is_started) {
      if (key.name === 'left' || key.name === 'right') return features.cycleLevel(key.name === 'left' ? -1 : 1);
    } else {
      const running = runningCards(bracketColumns(view, host.controller.state.user?.id));
      if (key.name === 'up' || key.name === 'left' || key.name === 'backtab') return features.selectBracket(Math.max(0, Math.min(features.state.bracketIndex, running.length - 1) - 1));
      if (key.name === 'down' || key.name === 'right' || key.name === 'tab') return features.selectBracket(Math.max(0, Math.min(running.length - 1, features.state.bracketIndex + 1)));
    }
    if (key.name === 'enter') {
      const card = selectedRunning(host);
      if (card?.running) void features.spectateByCode(card.running, 'tournament');
      return;
    }
    if (ch === 'b') return void features.addTournamentBots(1);
    if (ch === 'f') return void features.addTournamentBots(view.tournament.size);
    if (ch === 'd') return void features.removeTournamentBot();
    if (ch === 'l') {
      if (view.finished) return void features.leaveTournament();
      if (view.tournament.is_started) host.ui.confirmLeave = true;
      else void features.leaveTournament();
    }
  },

  hints: (host) => {
    const features = play(host);
    if (features.state.prompt) return PROMPT_HINTS;
    if (host.ui.confirmLeave) return 'y leave · n stay';
    const view = features.state.tournament;
    if (!view) return 'n create · j code · ↑↓ Enter join · Esc back';
    if (view.finished) return 'Esc back to the play menu';
    if (!view.tournament.is_started) return view.tournament.created_by === host.controller.state.user?.id ? 'b/f computers · ←→ level · l leave · Esc back' : 'l leave · Esc back';
    return '↑↓ game · Enter watch · l leave · Esc back';
  },
};
