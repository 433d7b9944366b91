/** Every text and constant of the tournaments; clients match on the texts. */
export const TournamentMessages = {
  required: 'This field is required.',
  notNull: 'This field may not be null.',
  blank: 'This field may not be blank.',
  notString: 'Not a valid string.',
  notInteger: 'A valid integer is required.',
  notBoolean: 'Must be a valid boolean.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  sizeChoice: 'Tournament size must be 16, 4 or 8.',
  nameTaken: 'tournament with this name already exists.',
  noTournament: 'You do not belong to any tournament.',
  notMember: 'You do not belong to this tournament.',
  notFound: 'Tournament not found.',
  alreadyJoined: 'You already joined this tournament.',
  alreadyStarted: 'Tournament already started.',
  full: 'Tournament is full.',
  secondTournament: 'You cannot create more than one tournament at the same time.',
  banSelf: 'You cannot ban yourself.',
  banAfterStart: 'You cannot ban after the tournament start.',
  onlyCreatorBans: 'Only the tournament creator can ban a user.',
  targetNotMember: 'This user does not belong to this tournament.',
  inviteSelf: 'You cannot invite yourself.',
  onlyCreatorInvites: 'Only the tournament creator can invite users.',
  targetInside: 'This user is already in this tournament.',
  onlyFriends: 'You can only invite friends.',
  inviteAfterStart: 'You cannot invite after the tournament start.',
  codeGenerationFailed: 'Code generation failed.',
  onlyCreatorAddsBots: 'Only the tournament creator can add computer players.',
  onlyCreatorRemovesBots: 'Only the tournament creator can remove computer players.',
  botsOverFreeSeats: (free: number) => `Only ${free} ${free === 1 ? 'seat is' : 'seats are'} free.`,
  notABot: 'This computer player does not belong to this tournament.',
} as const;

export const TOURNAMENT_SIZES = [4, 8, 16] as const;
export type TournamentSize = (typeof TOURNAMENT_SIZES)[number];

export const NAME_MAX_LENGTH = 50;
/** Longest message `content` (characters, after trimming), a limit of the platform's own: it bounds what one post fans out. */
export const MESSAGE_MAX_LENGTH = 2000;
export const CODE_ATTEMPTS = 100_000;

/** The countdown starts at ceil(0.8 x size) participants and lasts 20 s. */
export const START_COUNTDOWN_MS = 20_000;
/** The wait between the start and the first round's games, and before each later round opens. */
export const BRACKET_DELAY_MS = 3000;
export const ROUND_DELAY_MS = 3000;
/** After a restart, games lost with the node are launched again this much later, once players are back on their streams. */
export const RESUME_LAUNCH_DELAY_MS = 5000;
/** How often each node looks for deadlines that are due (its own are also armed as timers). */
export const DEADLINE_POLL_MS = 1000;

/** Score shown for a bye / walkover and for "no game". */
export const WALKOVER_SCORE = { winner: 3, looser: 0 } as const;
export const NO_GAME_SCORE = { winner: 0, looser: 0 } as const;

/** The `finish_reason` kwarg of `tournament-match-finish`. */
export function finishReasonSuffix(reason: string): string {
  switch (reason) {
    case 'normal-end': return '';
    case 'player-disconnect': return ' (obviously the other player gave up the game)';
    case 'game-not-played': return ' (yeah, there just was no game)';
    case 'no-game': return ' (there was no game, so nobody won)';
    case 'player-not-connected':
    case 'players-timeout': return ' (obviously he played against nobody, not too complicated to win)';
    default: return '';
  }
}
