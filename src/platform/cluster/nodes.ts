import type { Clock, TimerHandle } from '../clock.js';
import { isoAt } from '../clock.js';
import type { Db } from '../db/database.js';

/** Told which nodes died (or, at start-up, which previous life of this node left rows behind). */
export type DeadNodesHandler = (nodeIds: string[]) => Promise<void> | void;

export interface NodeRegistryOptions {
  nodeId: string;
  heartbeatMs: number;
  ttlMs: number;
}

/**
 * The nodes sharing one database (docs/architecture.md, "One node or many"). Every node
 * keeps a row in `nodes` with the address its peers reach it at and a
 * heartbeat refreshed every `heartbeatMs`; a node whose heartbeat is older
 * than `ttlMs` is dead. Every node sweeps: the handlers of a dead node run
 * (its users go offline, its rooms are released), then its row goes. The
 * handlers use conditional deletes, so two nodes sweeping at once do the
 * work once.
 */
export class NodeRegistry {
  private deadHandlers: DeadNodesHandler[] = [];
  private revivedHandlers: Array<() => void> = [];
  private timer: TimerHandle | null = null;
  private beating: Promise<void> | null = null;
  private url = '';
  /** Read by health and metrics. */
  lastHeartbeatOk = true;

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly options: NodeRegistryOptions) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  onDead(handler: DeadNodesHandler): void {
    this.deadHandlers.push(handler);
  }

  /** This node's row had been swept (it looked dead: a long pause); the handlers put its state back. */
  onRevived(handler: () => void): void {
    this.revivedHandlers.push(handler);
  }

  /**
   * Start-up: what a previous process with the same node id left behind is
   * cleaned up first, then the row is written and the heartbeat starts.
   */
  async register(url: string): Promise<void> {
    this.url = url;
    await this.runDeadHandlers([this.options.nodeId]);
    await this.upsert();
    this.timer = this.clock.setInterval(() => void this.beat(), this.options.heartbeatMs);
  }

  /** The address peers use, once the listener knows its port. */
  async setUrl(url: string): Promise<void> {
    this.url = url;
    await this.db.updateTable('nodes').set({ url }).where('node_id', '=', this.options.nodeId).execute();
  }

  /** The address of a live node; null when it is unknown or dead. */
  async urlOf(nodeId: string): Promise<string | null> {
    const row = await this.db.selectFrom('nodes').select(['url', 'heartbeat_at']).where('node_id', '=', nodeId).executeTakeFirst();
    if (!row || row.heartbeat_at < this.cutoff()) return null;
    return row.url;
  }

  async aliveNodes(): Promise<Array<{ nodeId: string; url: string }>> {
    const rows = await this.db.selectFrom('nodes').select(['node_id', 'url']).where('heartbeat_at', '>=', this.cutoff()).execute();
    return rows.map((r) => ({ nodeId: r.node_id, url: r.url }));
  }

  private cutoff(): string {
    return isoAt(this.clock.now() - this.options.ttlMs);
  }

  /** One heartbeat and one sweep; never two at once. */
  beat(): Promise<void> {
    this.beating ??= (async () => {
      try {
        const result = await this.db.updateTable('nodes').set({ heartbeat_at: isoAt(this.clock.now()) })
          .where('node_id', '=', this.options.nodeId).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) {
          await this.upsert();
          for (const handler of this.revivedHandlers) handler();
        }
        await this.sweep();
        this.lastHeartbeatOk = true;
      } catch {
        // The database is unreachable: readiness reports it; the next beat tries again.
        this.lastHeartbeatOk = false;
      } finally {
        this.beating = null;
      }
    })();
    return this.beating;
  }

  /** Handles every node whose heartbeat is older than the TTL. */
  async sweep(): Promise<string[]> {
    const cutoff = this.cutoff();
    const dead = (await this.db.selectFrom('nodes').select('node_id').where('heartbeat_at', '<', cutoff)
      .where('node_id', '!=', this.options.nodeId).execute()).map((r) => r.node_id);
    if (dead.length === 0) return [];
    await this.runDeadHandlers(dead);
    // Only rows still stale: a node that came back in the meantime keeps its row.
    await this.db.deleteFrom('nodes').where('node_id', 'in', dead).where('heartbeat_at', '<', cutoff).execute();
    return dead;
  }

  private async runDeadHandlers(nodeIds: string[]): Promise<void> {
    for (const handler of this.deadHandlers) await handler(nodeIds);
  }

  private async upsert(): Promise<void> {
    const now = isoAt(this.clock.now());
    await this.db.insertInto('nodes')
      .values({ node_id: this.options.nodeId, url: this.url, started_at: now, heartbeat_at: now })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ url: this.url, heartbeat_at: now }))
      .execute();
  }

  /** Stops the heartbeat; the row stays and expires after the TTL, which gives this node's users time to reconnect elsewhere. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.beating;
  }
}
