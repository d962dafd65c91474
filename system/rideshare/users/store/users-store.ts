import { ConflictError } from '../../../common/errors/errors';
import { MAX_LIMIT } from '../../../common/protocol/requests';
import type { DbaasClient } from '../../common/dbaas-client';

/*
 * The users table, through the DBaaS. Deleting a user's row also deletes their rides and memberships: the foreign
 * keys cascade in the database.
 */
export class UsersStore {
  constructor(private readonly db: DbaasClient) {}

  /** Inserts a user; false when the name is taken (the database's duplicate key, so two racing inserts cannot both win). */
  async insert(username: string, password: string): Promise<boolean> {
    try {
      await this.db.write({ op: 'insert', table: 'users', values: { username, password } });
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Deletes a user (and, by cascade, their rides and memberships); false when there was no such user. */
  async delete(username: string): Promise<boolean> {
    const { changes } = await this.db.write({ op: 'delete', table: 'users', where: { username } });
    return changes > 0;
  }

  /** Every user's name, sorted: the first MAX_LIMIT (10000) of them. */
  async names(minLsn: number): Promise<string[]> {
    const rows = await this.db.read(
      { table: 'users', columns: ['username'], orderBy: [{ column: 'username', direction: 'asc' }], limit: MAX_LIMIT },
      minLsn,
    );
    return rows.map((r) => String(r.username));
  }

  /** Whether there is a user of that name: one row at most, not the whole table. */
  async exists(username: string, minLsn: number): Promise<boolean> {
    return (await this.db.read({ table: 'users', columns: ['username'], where: { username }, limit: 1 }, minLsn)).length > 0;
  }
}
