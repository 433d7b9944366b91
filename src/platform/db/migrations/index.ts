import type { Migration, MigrationProvider } from 'kysely';
import * as accounts from './001_accounts.js';
import * as social from './002_social.js';
import * as chat from './003_chat.js';
import * as game from './004_game.js';
import * as play from './005_play.js';
import * as cluster from './006_cluster.js';
import * as tournament from './007_tournament.js';
import * as forfeits from './008_forfeits.js';
import * as replays from './009_replays.js';
import * as activity from './010_activity.js';
import * as tournamentBots from './011_tournament_bots.js';
import * as matchComputers from './012_match_computers.js';

/** Every migration, in order. Each one runs unchanged on SQLite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '001_accounts': accounts,
  '002_social': social,
  '003_chat': chat,
  '004_game': game,
  '005_play': play,
  '006_cluster': cluster,
  '007_tournament': tournament,
  '008_forfeits': forfeits,
  '009_replays': replays,
  '010_activity': activity,
  '011_tournament_bots': tournamentBots,
  '012_match_computers': matchComputers,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
