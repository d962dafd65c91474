import { z } from 'zod';
import { UnavailableError } from '../../../common/errors/errors';
import { errorMessage, requestJson } from '../../common/http-json';
import { LSN_HEADER, MIN_LSN_HEADER, parseLsnHeader, type LsnTracker } from '../../common/lsn';

export interface UsersClientOptions {
  /** The users service, e.g. http://127.0.0.1:8081. */
  baseUrl: string;
  timeoutMs: number;
  /** The rides service's LSN: sent as the users service's read floor, moved on by its answer. */
  lsn: LsnTracker;
}

const names = z.array(z.string());

/*
 * Whether a user exists, asked of the users service over HTTP (GET /api/v1/users), as the RideShare services always
 * have (with ?username=, so that only that user is looked up): the rides service owns no user data. The database's foreign keys still decide in the end.
 */
export class UsersClient {
  constructor(private readonly o: UsersClientOptions) {}

  async exists(username: string, minLsn: number): Promise<boolean> {
    const floor = Math.max(this.o.lsn.highest, minLsn);
    // ?username= asks for that one name: the users service reads one row, not every user's.
    const answer = await requestJson(`${this.o.baseUrl}/api/v1/users?username=${encodeURIComponent(username)}`, {
      method: 'GET',
      headers: floor > 0 ? { [MIN_LSN_HEADER]: String(floor) } : {},
      timeoutMs: this.o.timeoutMs,
      what: 'the users service',
    });
    try {
      this.o.lsn.observe(parseLsnHeader(answer.headers.get(LSN_HEADER) ?? undefined));
    } catch {
      // a malformed header only costs us the hint
    }
    if (answer.status === 204) return false;
    const parsed = answer.status === 200 ? names.safeParse(answer.body) : undefined;
    if (!parsed?.success) throw new UnavailableError(`the users service could not list users (${answer.status}): ${errorMessage(answer)}`);
    return parsed.data.includes(username);
  }
}
