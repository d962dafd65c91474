import { ConflictError } from '../../../common/errors/errors';
import type { DbaasClient, Row } from '../../common/dbaas-client';

export interface RideRow {
  rideId: number;
  createdBy: string;
  /** As the client gave it: DD-MM-YYYY:SS-MM-HH. */
  timestamp: string;
  /** The same instant in epoch milliseconds (UTC). */
  startsAt: number;
  source: number;
  destination: number;
}

export type NewRide = Omit<RideRow, 'rideId'>;

function toRide(r: Row): RideRow {
  return {
    rideId: Number(r.ride_id),
    createdBy: String(r.created_by),
    timestamp: String(r.timestamp),
    startsAt: Number(r.starts_at),
    source: Number(r.source),
    destination: Number(r.destination),
  };
}

/*
 * The rides and ride_members tables, through the DBaaS. The database's foreign keys are the last word on what exists:
 * a ride of a user deleted meanwhile, or a membership of a ride deleted meanwhile, is refused there (a conflict),
 * and deleting a ride deletes its memberships.
 */
export class RidesStore {
  constructor(private readonly db: DbaasClient) {}

  /** The new ride's id, or undefined when its creator does not exist (any more). */
  async insert(ride: NewRide): Promise<number | undefined> {
    try {
      const { insertedId } = await this.db.write({
        op: 'insert',
        table: 'rides',
        values: {
          created_by: ride.createdBy,
          timestamp: ride.timestamp,
          starts_at: ride.startsAt,
          source: ride.source,
          destination: ride.destination,
        },
      });
      return Number(insertedId);
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
  }

  async find(rideId: number, minLsn: number): Promise<RideRow | undefined> {
    const rows = await this.db.read({ table: 'rides', where: { ride_id: rideId } }, minLsn);
    return rows.length > 0 ? toRide(rows[0]) : undefined;
  }

  /** Rides from `source` to `destination` that start after `after` (epoch ms), soonest first. */
  async startingAfter(source: number, destination: number, after: number, minLsn: number): Promise<RideRow[]> {
    const rows = await this.db.read(
      {
        table: 'rides',
        where: { source, destination, starts_at: { gt: after } },
        orderBy: [
          { column: 'starts_at', direction: 'asc' },
          { column: 'ride_id', direction: 'asc' },
        ],
      },
      minLsn,
    );
    return rows.map(toRide);
  }

  async count(minLsn: number): Promise<number> {
    const [row] = await this.db.read({ table: 'rides', count: true }, minLsn);
    return Number(row?.count ?? 0);
  }

  /** False when there was no such ride. Its memberships go with it (cascade). */
  async delete(rideId: number): Promise<boolean> {
    const { changes } = await this.db.write({ op: 'delete', table: 'rides', where: { ride_id: rideId } });
    return changes > 0;
  }

  async members(rideId: number, minLsn: number): Promise<string[]> {
    const rows = await this.db.read(
      { table: 'ride_members', columns: ['username'], where: { ride_id: rideId }, orderBy: [{ column: 'username', direction: 'asc' }] },
      minLsn,
    );
    return rows.map((r) => String(r.username));
  }

  async isMember(rideId: number, username: string, minLsn: number): Promise<boolean> {
    return (await this.db.read({ table: 'ride_members', columns: ['username'], where: { ride_id: rideId, username } }, minLsn)).length > 0;
  }

  /**
   * Adds a member; false when the database refused it: already a member, or the ride or the user is gone (a
   * membership can never outlive its ride, however a join and a delete interleave).
   */
  async addMember(rideId: number, username: string): Promise<boolean> {
    try {
      await this.db.write({ op: 'insert', table: 'ride_members', values: { ride_id: rideId, username } });
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }
}
