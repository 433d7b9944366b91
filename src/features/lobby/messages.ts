/** Every text and constant of the lobbies; clients match on the texts. */
export const LobbyMessages = {
  required: 'This field is required.',
  notNull: 'This field may not be null.',
  blank: 'This field may not be blank.',
  notString: 'Not a valid string.',
  notBoolean: 'Must be a valid boolean.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  gameModeChoice: "Game mode must be 'clash' or 'custom_game'.",
  matchTypeChoice: "Match type must be '1v1' or '3v3'.",
  // (sic) the reference's text for a bad team says "Match type".
  teamChoice: "Match type must be 'Team A', 'Team B' or 'Spectator'.",
  noLobby: 'You do not belong to any lobby.',
  notMember: 'You do not belong to this lobby.',
  lobbyNotFound: 'Lobby not found.',
  alreadyJoined: 'You already joined this lobby.',
  full: 'Lobby is full.',
  onlyCreatorUpdates: 'Only creator can update this lobby.',
  playing: 'You cannot perform this action the lobby is playing.',
  clashTeam: 'You cannot update team in clash mode.',
  sameTeam: 'You are already in this team.',
  teamFull: 'Team is full.',
  spectatorReady: 'You cannot set ready as a spectator.',
  banSelf: 'You cannot ban yourself.',
  onlyCreatorBans: 'Only the lobby creator can ban a user.',
  targetNotMember: 'This user does not belong to this lobby.',
  inviteSelf: 'You cannot invite yourself.',
  onlyCreatorInvites: 'Only the lobby creator can invite users.',
  targetInside: 'This user is already in this lobby.',
  onlyFriends: 'You can only invite friends.',
  codeGenerationFailed: 'Code generation failed.',
} as const;

export const GAME_MODES = ['clash', 'custom_game'] as const;
export type LobbyMode = (typeof GAME_MODES)[number];
export const MATCH_TYPES = ['1v1', '3v3'] as const;
export type LobbyMatchType = (typeof MATCH_TYPES)[number];

/** Teams as stored and shown: `a`, `b`, `spectator` on output. */
export const TEAMS = ['a', 'b', 'spectator'] as const;
export type LobbyTeam = (typeof TEAMS)[number];
/** Input spellings: `a`/`b`/`spectator`, and the reference's `Team A`/`Team B`/`Spectator`. */
export const TEAM_INPUT: Record<string, LobbyTeam> = {
  a: 'a', b: 'b', spectator: 'spectator', 'Team A': 'a', 'Team B': 'b', Spectator: 'spectator',
};

/** Longest message `content` (characters, after trimming), a limit of the platform's own: it bounds what one post fans out. */
export const MESSAGE_MAX_LENGTH = 2000;

export const CLASH_CAPACITY = 3;
export const CUSTOM_CAPACITY = 8;
export const CODE_ATTEMPTS = 100_000;
export const teamSize = (matchType: string) => (matchType === '3v3' ? 3 : 1);

/** The invitation event of each kind of lobby. */
export function inviteEventOf(gameMode: string, matchType: string): 'invite-clash' | 'invite-1v1' | 'invite-3v3' {
  if (gameMode === 'clash') return 'invite-clash';
  return matchType === '3v3' ? 'invite-3v3' : 'invite-1v1';
}
