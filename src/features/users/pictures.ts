/** The 23 profile pictures, identical for every user. */
export interface PictureEntry {
  id: number;
  name: string;
  unlockReason: string;
}

export const PICTURES: readonly PictureEntry[] = [
  { id: 0, name: 'Guest', unlockReason: 'Be a guest.' },
  { id: 1, name: 'Register', unlockReason: 'Register user.' },
  { id: 2, name: 'Tournament Winner', unlockReason: 'Win 1 tournament.' },
  { id: 3, name: 'Tournament Master', unlockReason: 'Win 10 tournaments.' },
  { id: 4, name: 'Tournament God', unlockReason: 'Win 100 tournaments.' },
  { id: 5, name: 'Clash Winner', unlockReason: 'Win 10 clash games.' },
  { id: 6, name: 'Clash Master', unlockReason: 'Win 50 clash games.' },
  { id: 7, name: 'Clash God', unlockReason: 'Win 100 clash games.' },
  { id: 8, name: 'Duel Winner', unlockReason: 'Win 10 duel games.' },
  { id: 9, name: 'Duel Master', unlockReason: 'Win 50 duel games.' },
  { id: 10, name: 'Duel God', unlockReason: 'Win 100 duel games.' },
  { id: 11, name: 'Ranked Bronze', unlockReason: 'Achieve over 100 trophies in ranked.' },
  { id: 12, name: 'Ranked Silver', unlockReason: 'Achieve over 500 trophies in ranked.' },
  { id: 13, name: 'Ranked Gold', unlockReason: 'Achieve over 1000 trophies in ranked.' },
  { id: 14, name: 'Ranked Diamond', unlockReason: 'Achieve over 2000 trophies in ranked.' },
  { id: 15, name: 'Ranked Master', unlockReason: 'Achieve over 3000 trophies in ranked.' },
  { id: 16, name: 'Ranked Mythic', unlockReason: 'Achieve over 5000 trophies in ranked.' },
  { id: 17, name: 'Fun Player', unlockReason: 'Play a match in all game modes.' },
  { id: 18, name: 'Scorer', unlockReason: 'Score 100 goals in any game mode.' },
  { id: 19, name: 'God Scorer', unlockReason: 'Score 1000 goals in any game mode.' },
  { id: 20, name: 'One Friend', unlockReason: 'Have at least one friend.' },
  { id: 21, name: 'Popular Guy', unlockReason: 'Have more than 50 friends.' },
  { id: 22, name: 'Win Streak Player', unlockReason: 'Win more than 10 games in a row.' },
];

export const GUEST_PICTURE = 0;
export const REGISTER_PICTURE = 1;

export function pictureStem(name: string): string {
  return name.toLowerCase().replace(/ /g, '_');
}

const base = (name: string) => `/assets/profile_pictures/${pictureStem(name)}`;

export interface SmallProfilePicture {
  id: number;
  name: string;
  small: string;
  medium: string;
}

export interface ProfilePicture extends SmallProfilePicture {
  unlock_reason: string;
  unlock: boolean;
  is_equiped: boolean;
  url: string;
  large: string;
}

export function smallPicture(id: number): SmallProfilePicture {
  const entry = PICTURES[id] ?? PICTURES[REGISTER_PICTURE];
  return { id: entry.id, name: entry.name, small: `${base(entry.name)}_small.png`, medium: `${base(entry.name)}_medium.png` };
}

export function fullPicture(id: number, unlock: boolean, equipped: boolean): ProfilePicture {
  const entry = PICTURES[id];
  return {
    ...smallPicture(id),
    unlock_reason: entry.unlockReason,
    unlock,
    is_equiped: equipped,
    url: `${base(entry.name)}.png`,
    large: `${base(entry.name)}_large.png`,
  };
}

/** The number of pictures; ids are 0..PICTURE_COUNT-1. */
export const PICTURE_COUNT = PICTURES.length;

/**
 * The unlock thresholds (inclusive), each list in table order so
 * that one check unlocks, and announces, pictures in that order.
 */
export const UnlockRules = {
  tournamentWins: [[1, 2], [10, 3], [100, 4]],
  clashWins: [[10, 5], [50, 6], [100, 7]],
  duelWins: [[10, 8], [50, 9], [100, 10]],
  trophies: [[100, 11], [500, 12], [1000, 13], [2000, 14], [3000, 15], [5000, 16]],
  scored: [[100, 18], [1000, 19]],
  friends: [[1, 20], [50, 21]],
  winStreak: [[10, 22]],
} as const satisfies Record<string, ReadonlyArray<readonly [number, number]>>;

export const FUN_PLAYER_PICTURE = 17;

/** The picture ids a value reaches under one rule, in table order. */
export function picturesReached(rule: ReadonlyArray<readonly [number, number]>, value: number): number[] {
  return rule.filter(([threshold]) => value >= threshold).map(([, id]) => id);
}
