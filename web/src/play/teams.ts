import type { LobbyTeam } from '../api/types';

/** The API may answer `a`/`b`/`spectator` or `Team A`/`Team B`/`Spectator`: one spelling here. */
export function normalTeam(team: string | undefined | null): LobbyTeam {
  switch ((team ?? '').toLowerCase()) {
    case 'a':
    case 'team a':
      return 'Team A';
    case 'b':
    case 'team b':
      return 'Team B';
    default:
      return 'Spectator';
  }
}
