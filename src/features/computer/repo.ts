import type { Db } from '../../platform/db/database.js';

/** The bot accounts' SQL: `play_bots`. */
export class ComputerRepo {
  constructor(private readonly db: Db) {}

  botIds(): Promise<number[]> {
    return this.db.selectFrom('play_bots').select('user_id').orderBy('user_id').execute().then((rows) => rows.map((r) => r.user_id));
  }

  async isBot(userId: number): Promise<boolean> {
    return !!(await this.db.selectFrom('play_bots').select('user_id').where('user_id', '=', userId).executeTakeFirst());
  }

  async addBot(userId: number, at: string): Promise<void> {
    await this.db.insertInto('play_bots').values({ user_id: userId, created_at: at }).execute();
  }

  async removeBot(userId: number): Promise<void> {
    await this.db.deleteFrom('play_bots').where('user_id', '=', userId).execute();
  }
}
