import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { startBot, type BotHandle, type BotLevel } from '../../game/bot/index.js';
import type { UsersService } from '../users/service.js';
import type { ComputerRepo } from './repo.js';
import { DEFAULT_COMPUTER_LEVEL } from './messages.js';

export interface ComputerPlayersDeps {
  repo: ComputerRepo;
  users: UsersService;
  clock: Clock;
  /** Creates a guest-like account for a new bot and answers its id. */
  createAccount(): Promise<number>;
  /** A short-lived access token for a bot account (it authenticates on the game socket like anyone). */
  accessToken(userId: number): string;
}

/**
 * The bot accounts among `botIds` that an activity holds although they play
 * no match right now (a tournament seat between two rounds): they are not
 * handed out again.
 */
export type BotHolder = (botIds: number[]) => Promise<number[]>;

/**
 * The computer players of the platform, whatever seat they fill (a custom
 * game's, a game against the computer, a tournament's). Each is a dedicated
 * bot account (listed in `play_bots`), free while it plays no match and no
 * activity holds it; the player itself is src/game/bot, connected over the
 * real WebSocket to this node's public URL, which is known once the node listens.
 */
export class ComputerPlayers {
  private baseUrl: string | null = null;
  private reserved = new Set<number>();
  private running = new Set<BotHandle>();
  private holders: BotHolder[] = [];

  constructor(private readonly deps: ComputerPlayersDeps) {}

  /** Called once the public app listens. */
  attach(baseUrl: string): void {
    this.baseUrl = baseUrl;
  }

  /** Whether this node can start computer players (its public URL is known). */
  get ready(): boolean {
    return this.baseUrl !== null;
  }

  addHolder(holder: BotHolder): void {
    this.holders.push(holder);
  }

  isBot(userId: number): Promise<boolean> {
    return this.deps.repo.isBot(userId);
  }

  /** `count` bot accounts that play nothing now, reserved until `release` (new accounts are created as needed). */
  async reserve(count: number): Promise<number[]> {
    if (count <= 0) return [];
    const known = (await this.deps.repo.botIds()).filter((id) => !this.reserved.has(id));
    const rows = await this.deps.users.findManyByIds(known);
    const held = new Set((await Promise.all(this.holders.map((holder) => holder(known)))).flat());
    const free = rows.filter((row) => row.game_playing === null && !held.has(row.id)).map((row) => row.id).sort((a, b) => a - b).slice(0, count);
    // Accounts deleted from under us are forgotten.
    const alive = new Set(rows.map((r) => r.id));
    for (const id of known) if (!alive.has(id)) await this.deps.repo.removeBot(id).catch(() => {});
    for (const id of free) this.reserved.add(id);
    while (free.length < count) {
      const id = await this.deps.createAccount();
      await this.deps.repo.addBot(id, isoAt(this.deps.clock.now()));
      this.reserved.add(id);
      free.push(id);
    }
    return free;
  }

  release(ids: number[]): void {
    for (const id of ids) this.reserved.delete(id);
  }

  /** Starts one computer player per bot account of a just-created match. */
  launch(ids: number[], level: BotLevel = DEFAULT_COMPUTER_LEVEL): void {
    if (!this.baseUrl) return;
    for (const id of ids) {
      const handle = startBot(this.baseUrl, this.deps.accessToken(id), {
        userId: id, skill: level, clock: this.deps.clock, insecure: true,
      });
      this.running.add(handle);
      void handle.closed.then(() => this.running.delete(handle));
    }
  }

  /** The computer players playing right now on this node. */
  get playing(): number {
    return this.running.size;
  }

  closeAll(): void {
    for (const handle of this.running) handle.close();
    this.running.clear();
  }
}
