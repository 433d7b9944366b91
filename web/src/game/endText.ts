import { winningTeam, type GameOver } from '@client/game-model.js';
import type { Team } from '@shared/engine/index.js';

/** What the end screen says: people by name, the one score the match is recorded with, and why in words. */
export interface EndText {
  title: string;
  lines: string[];
  tone: 'won' | 'lost' | 'neutral';
}

export interface EndContext {
  over: GameOver;
  /** Player names by server team, in list order. */
  names: Record<Team, string[]>;
  /** The viewer's team; null for a spectator. */
  myTeam: Team | null;
  myId: number | null;
  teamOf(userId: number): Team | null;
  nameOf(userId: number): string;
  /** The score on the field when the first absent player left, by server team. */
  scoreWhenLeft: Record<Team, number> | null;
}

const other = (team: Team): Team => (team === 'a' ? 'b' : 'a');

/** "bob", "bob and eve", "bob, eve and frank". */
export function listNames(names: string[]): string {
  if (names.length === 0) return 'the other side';
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export const scoreText = (first: number, second: number) => `${first}–${second}`;

/** A team as a person reads it: "You" / "Your team" for the viewer's own side, else its players' names. */
function sideName(ctx: EndContext, team: Team): string {
  if (ctx.myTeam === team) return ctx.names[team].length > 1 ? 'Your team' : 'You';
  return listNames(ctx.names[team]);
}

/** The recorded score seen from `first`'s side. */
function recorded(ctx: EndContext, first: Team): string {
  const { team_a, team_b } = ctx.over;
  return first === 'a' ? scoreText(team_a, team_b) : scoreText(team_b, team_a);
}

function forfeitText(ctx: EndContext, winner: Team | null, leaverId: number): EndText {
  const leaverTeam = ctx.teamOf(leaverId);
  const iLeft = ctx.myId === leaverId;
  const leaver = iLeft ? 'you' : ctx.nameOf(leaverId);
  const neverJoined = ctx.over.reason === 'player-not-connected';
  const what = neverJoined ? (iLeft ? 'did not join the game in time' : 'did not join the game') : 'left the game';
  // A sentence starts with a capital; a username is written as its owner chose it.
  const Leaver = iLeft ? 'You' : leaver;
  const winning = winner ?? (leaverTeam ? other(leaverTeam) : null);
  const lines: string[] = [];
  if (winning) {
    const viewpoint = ctx.myTeam ?? winning;
    // player-not-connected ends 0–0 on the socket; the match is recorded 3–0 for the side that came.
    const record = neverJoined ? (viewpoint === winning ? scoreText(3, 0) : scoreText(0, 3)) : recorded(ctx, viewpoint);
    const won = sideName(ctx, winning);
    // A player reads the recorded score on the scoreboard above; a spectator is told who it went to.
    if (ctx.myTeam === null) lines.push(`${won} won ${record}.`);
    if (!neverJoined && ctx.scoreWhenLeft) {
      const at = viewpoint === 'a' ? scoreText(ctx.scoreWhenLeft.a, ctx.scoreWhenLeft.b) : scoreText(ctx.scoreWhenLeft.b, ctx.scoreWhenLeft.a);
      lines.push(`It was ${at} when ${leaver} left.`);
    }
  }
  if (ctx.myTeam === null) return { title: `${Leaver} ${what}`, lines, tone: 'neutral' };
  const won = winning === ctx.myTeam;
  return { title: `${won ? 'Victory' : 'Defeat'} — ${leaver} ${what}`, lines, tone: won ? 'won' : 'lost' };
}

/** The end screen's title and sentences for one `game_over`. */
export function describeEnd(ctx: EndContext): EndText {
  const { over } = ctx;
  const winner = winningTeam(over, ctx.teamOf);
  if ((over.reason === 'player-disconnect' || over.reason === 'player-not-connected') && over.forfeited_by != null) {
    return forfeitText(ctx, winner, over.forfeited_by);
  }
  if (over.reason === 'normal-end' && winner) {
    const loser = other(winner);
    if (ctx.myTeam === null) {
      return { title: `${listNames(ctx.names[winner])} won`, lines: [`${listNames(ctx.names[winner])} won ${recorded(ctx, winner)} against ${listNames(ctx.names[loser])}.`], tone: 'neutral' };
    }
    if (ctx.myTeam === winner) {
      return { title: 'Victory!', lines: [`${sideName(ctx, winner)} won ${recorded(ctx, winner)} against ${listNames(ctx.names[loser])}.`], tone: 'won' };
    }
    return { title: 'Defeat', lines: [`${listNames(ctx.names[winner])} won ${recorded(ctx, winner)}.`], tone: 'lost' };
  }
  if (over.reason === 'players-timeout') return { title: 'Game over', lines: ['Nobody joined the game in time: it ended 0–0.'], tone: 'neutral' };
  if (over.reason === 'connection lost' || over.reason === '') return { title: 'Game over', lines: ['The connection to the game was lost.'], tone: 'neutral' };
  if (over.reason === 'Server Error') return { title: 'Game over', lines: ['The game stopped because of a server error.'], tone: 'neutral' };
  return { title: 'Game over', lines: ['The game ended early.'], tone: 'neutral' };
}
