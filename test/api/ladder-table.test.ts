import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ladder, type LadderTable } from '../../src/features/activity/ladder.js';
import { LADDER_INTERVAL_MS } from '../../src/features/activity/messages.js';
import type { ActivityRepo, LadderRow } from '../../src/features/activity/repo.js';
import { ManualClock } from '../../src/platform/clock.js';

type User = Omit<LadderRow, 'rank'>;

/** The ladder as the database ranks it: trophies descending, then id; ties share the rank of the first. */
function ranked(users: Iterable<User>): LadderRow[] {
  const sorted = [...users].sort((a, b) => b.trophies - a.trophies || a.id - b.id);
  const rows: LadderRow[] = [];
  sorted.forEach((user, at) => {
    const rank = at > 0 && sorted[at - 1].trophies === user.trophies ? rows[at - 1].rank : at + 1;
    rows.push({ ...user, rank });
  });
  return rows;
}

/** The users' table as the database holds it: the two reads the ladder makes. */
function databaseOf(users: Map<number, User>): ActivityRepo {
  return {
    ladder: async () => ranked(users.values()),
    ladderRowsOf: async (ids: number[]) => ids.flatMap((id) => (users.has(id) ? [{ ...users.get(id)! }] : [])),
  } as unknown as ActivityRepo;
}

const entries = (table: LadderTable) => Array.from({ length: table.size }, (_, at) => JSON.parse(Ladder.entryJson(table, at)));

/**
 * The node's ladder after a change puts only the changed users in their new
 * places (ladder.ts, merged): it must equal the database's whole ranking,
 * JSON included, whatever changed (trophies up and down, ties, users gone
 * and new), and whichever entries were shown before the change.
 */
describe('the ladder merged after a change', () => {
  it('equals the whole ranking read again', async () => {
    const user = fc.record({ trophies: fc.integer({ min: 0, max: 40 }), username: fc.string({ minLength: 1, maxLength: 8 }), profile_picture_id: fc.integer({ min: 0, max: 22 }) });
    await fc.assert(fc.asyncProperty(
      fc.array(user, { minLength: 1, maxLength: 60 }),
      fc.array(fc.record({ index: fc.nat(), trophies: fc.option(fc.integer({ min: 0, max: 40 })) }), { maxLength: 20 }),
      fc.array(user, { maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      async (initial, changes, newcomers, shownBefore) => {
        const users = new Map(initial.map((u, i) => [i + 1, { id: i + 1, ...u }]));
        const clock = new ManualClock();
        const ladder = new Ladder(databaseOf(users), clock);
        const first = await ladder.current();
        expect(entries(first)).toEqual(ranked(users.values()).map(({ rank, id, username, profile_picture_id, trophies }) => ({ rank, id, username, trophies, profile_picture: expect.objectContaining({ id: profile_picture_id }) })));
        // Some entries were on a page before the change (their JSON is kept for the next table).
        for (const at of shownBefore) Ladder.entryJson(first, at % first.size);

        const changed = new Set<number>();
        for (const { index, trophies } of changes) {
          const id = (index % initial.length) + 1;
          changed.add(id);
          if (trophies === null) users.delete(id);
          else if (users.has(id)) users.set(id, { ...users.get(id)!, trophies });
        }
        newcomers.forEach((u, i) => {
          const id = initial.length + 1 + i;
          users.set(id, { id, ...u });
          changed.add(id);
        });
        ladder.changed(changed);
        clock.advance(LADDER_INTERVAL_MS);
        const next = await ladder.current();
        const expected = ranked(users.values());
        expect(entries(next).map(({ rank, id, trophies, username, profile_picture }) => [rank, id, trophies, username, profile_picture.id]))
          .toEqual(expected.map(({ rank, id, trophies, username, profile_picture_id }) => [rank, id, trophies, username, profile_picture_id]));
      },
    ), { numRuns: 200 });
  });
});
