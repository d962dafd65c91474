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

  /** Every user's name, sorted; `minLsn` is the caller's own read-your-writes floor. */
  list(minLsn: number): Promise<string[]> {
    return this.store.names(minLsn);
  }
}
