/**
 * Who may see a live match in the list (docs/api.md, Activity):
 * - `lobby`: a custom game. Lobbies have no privacy flag: they are entered
 *   by their code, so every custom game is private to the lobby that plays
 *   it (its `audience`: the members). Invitations are not stored, so an
 *   invitee sees the game once he has joined the lobby with the code he was
 *   sent.
 * - `tournament`: a game of a private tournament, seen by its participants
 *   (its `audience`).
 * - `public`: duel, ranked and clash games (clash teams come from the
 *   public pool), and games of public tournaments.
 * Whatever its privacy, a game is hidden from a user who blocked one of its
 * players or was blocked by one (the rule of the blocking feature: a block
 * hides each from the other). A player always sees his own game.
 *
 * Asked for by its code (`?code=`), a game is shown whatever its privacy, as
 * the game socket lets whoever has the code watch it; blocks still hide it,
 * and the route counts a code that finds nothing as a guess (guess-throttle.ts).
 */
export type LivePrivacy = 'public' | 'lobby' | 'tournament';

export interface LiveAudience {
  id: number;
  privacy: LivePrivacy;
  players: readonly number[];
  /** Who besides the players may see a private match. */
  audience: ReadonlySet<number>;
}

export interface Viewer {
  id: number;
  /** Players the viewer blocked or who blocked him. */
  blocked: ReadonlySet<number>;
}

export function visibleTo(match: LiveAudience, viewer: Viewer): boolean {
  if (match.players.includes(viewer.id)) return true;
  if (viewer.blocked.size > 0 && match.players.some((id) => viewer.blocked.has(id))) return false;
  return match.privacy === 'public' || match.audience.has(viewer.id);
}

/** A match asked for by its code: the code is the key to a private game, as for spectating; blocks still apply. */
export function visibleByCode(match: LiveAudience, viewer: Viewer): boolean {
  if (match.players.includes(viewer.id)) return true;
  return !(viewer.blocked.size > 0 && match.players.some((id) => viewer.blocked.has(id)));
}
