/*
 * The RideShare schema, described once. Request validation (which tables and columns exist, and their types) and the
 * workers' storage models are both derived from this description, so the two can never disagree.
 */

export type ColumnType = 'string' | 'integer';

export interface ColumnDef {
  readonly type: ColumnType;
  readonly primaryKey?: boolean;
  readonly autoIncrement?: boolean;
  readonly nullable?: boolean;
  readonly maxLength?: number;
  readonly references?: { readonly table: TableName; readonly column: string };
}

export interface TableDef {
  readonly columns: Readonly<Record<string, ColumnDef>>;
}

export const TABLE_NAMES = ['users', 'rides', 'ride_members'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const TABLES: Readonly<Record<TableName, TableDef>> = {
  users: {
    columns: {
      username: { type: 'string', primaryKey: true, maxLength: 128 },
      password: { type: 'string', maxLength: 128 },
    },
  },
  rides: {
    columns: {
      ride_id: { type: 'integer', primaryKey: true, autoIncrement: true },
      created_by: { type: 'string', maxLength: 128, references: { table: 'users', column: 'username' } },
      // The ride's start as given by the client (DD-MM-YYYY:SS-MM-HH) and as epoch milliseconds, for ordering.
      timestamp: { type: 'string', maxLength: 32 },
      starts_at: { type: 'integer' },
      source: { type: 'integer' },
      destination: { type: 'integer' },
    },
  },
  ride_members: {
    columns: {
      ride_id: { type: 'integer', primaryKey: true, references: { table: 'rides', column: 'ride_id' } },
      username: { type: 'string', primaryKey: true, maxLength: 128, references: { table: 'users', column: 'username' } },
    },
  },
};

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

export function autoIncrementColumn(table: TableName): string | undefined {
  return Object.entries(TABLES[table].columns).find(([, c]) => c.autoIncrement)?.[0];
}
