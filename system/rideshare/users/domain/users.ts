import { ValidationError } from '../../../common/errors/errors';
import type { UsersStore } from '../store/users-store';

export interface NewUser {
  username: string;
  /** SHA1 of the password, 40 hexadecimal characters (checked at the edge). */
  password: string;
}

/*
 * The users service's rules. Every failure a client can cause is a 400 with a message saying what was wrong, as the
 * RideShare API has always answered.
 */
export class Users {
  constructor(private readonly store: UsersStore) {}

  async create(user: NewUser): Promise<void> {
    if (!(await this.store.insert(user.username, user.password))) throw new ValidationError(`user '${user.username}' already exists`);
  }

  async remove(username: string): Promise<void> {
    if (!(await this.store.delete(username))) throw new ValidationError(`no such user '${username}'`);
  }

  /**
   * Every user's name, sorted; with `only`, that name alone if the user exists (how the rides service asks whether a
   * user exists without reading every name). `minLsn` is the caller's own read-your-writes floor.
   */
  async list(minLsn: number, only?: string): Promise<string[]> {
    if (only === undefined) return this.store.names(minLsn);
    return (await this.store.exists(only, minLsn)) ? [only] : [];
  }
}
