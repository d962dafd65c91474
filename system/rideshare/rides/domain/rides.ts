import { ValidationError } from '../../../common/errors/errors';
import type { NewRide, RideRow, RidesStore } from '../store/rides-store';
import type { UsersClient } from '../store/users-client';

export interface RideSummary {
  rideId: number;
  username: string;
  timestamp: string;
}

export interface RideDetails {
  rideId: number;
  created_by: string;
  users: string[];
  timestamp: string;
  source: number;
  destination: number;
}

/*
 * The rides service's rules. Inputs arrive checked (areas, timestamps, ids); what remains is what depends on the
 * data: does the user exist, does the ride, may this user join it. Every failure a client can cause is a 400 that
 * says why. `minLsn` is the caller's read floor (the gateway passes on what other services have written).
 */
export class Rides {
  constructor(
    private readonly store: RidesStore,
    private readonly users: UsersClient,
    private readonly now: () => number = Date.now,
  ) {}

  async create(ride: NewRide, minLsn: number): Promise<number> {
    if (!(await this.users.exists(ride.createdBy, minLsn))) throw noSuchUser(ride.createdBy);
    const rideId = await this.store.insert(ride);
    // The user was deleted between the check and the insert: the foreign key refused the ride.
    if (rideId === undefined) throw noSuchUser(ride.createdBy);
    return rideId;
  }

  /** Rides between two areas that have not started yet, soonest first. */
  async upcoming(source: number, destination: number, minLsn: number): Promise<RideSummary[]> {
    const rides = await this.store.startingAfter(source, destination, this.now(), minLsn);
    return rides.map((r) => ({ rideId: r.rideId, username: r.createdBy, timestamp: r.timestamp }));
  }

  /** The ride with its members; undefined when there is no such ride. */
  async details(rideId: number, minLsn: number): Promise<RideDetails | undefined> {
    const ride = await this.store.find(rideId, minLsn);
    if (!ride) return undefined;
    const users = await this.store.members(rideId, minLsn);
    return {
      rideId: ride.rideId,
      created_by: ride.createdBy,
      users,
      timestamp: ride.timestamp,
      source: ride.source,
      destination: ride.destination,
    };
  }

  /** Joins `username` to the ride. Joining again is not an error: the user is a member, as asked. */
  async join(rideId: number, username: string, minLsn: number): Promise<void> {
    const ride: RideRow | undefined = await this.store.find(rideId, minLsn);
    if (!ride) throw noSuchRide(rideId);
    if (ride.createdBy === username) throw new ValidationError(`user '${username}' created ride ${rideId} and cannot join it`);
    if (!(await this.users.exists(username, minLsn))) throw noSuchUser(username);
    if (await this.store.addMember(rideId, username)) return;
    // Refused by the database: find out why, on data at least as new as the refusal.
    if (await this.store.isMember(rideId, username, minLsn)) return;
    if (!(await this.store.find(rideId, minLsn))) throw noSuchRide(rideId);
    throw noSuchUser(username);
  }

  async remove(rideId: number): Promise<void> {
    if (!(await this.store.delete(rideId))) throw noSuchRide(rideId);
  }

  count(minLsn: number): Promise<number> {
    return this.store.count(minLsn);
  }
}

function noSuchUser(username: string): ValidationError {
  return new ValidationError(`no such user '${username}'`);
}

function noSuchRide(rideId: number): ValidationError {
  return new ValidationError(`no such ride ${rideId}`);
}
