import type { Generated } from 'kysely';

/**
 * Table types shared by every feature's repo. Booleans are stored as 0/1 and
 * timestamps as ISO-8601 UTC text so that SQLite and PostgreSQL read back the
 * same JavaScript values.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  username_lower: string;
  password_hash: string | null;
  is_guest: number;
  token_version: Generated<number>;
  created_at: string;
  accept_friend_request: Generated<number>;
  accept_chat_from: Generated<string>;
  trophies: Generated<number>;
  profile_picture_id: number;
  is_online: Generated<number>;
  last_online: string;
  game_playing: string | null;
}

export interface UserPicturesTable {
  user_id: number;
  picture_id: number;
  unlocked_at: string;
}

export interface PresenceTable {
  node_id: string;
  user_id: number;
  streams: number;
  updated_at: string;
}

export interface Database {
  users: UsersTable;
  user_pictures: UserPicturesTable;
  presence: PresenceTable;
  [table: string]: any;
}
