import { ForeignKeyConstraintError, Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import { ConflictError } from '../../common/errors/errors';
import type { SyncOp } from '../../common/protocol/messages';
import type { Condition, ReadRequest, Values, Where, WriteOp } from '../../common/protocol/requests';
import { TABLE_NAMES, autoIncrementColumn, type TableName } from '../../common/protocol/tables';
import type { WorkerDatabase } from './database';
import type { WriteResult } from '../../common/protocol/write-result';

/*
 * Structured requests turned into Sequelize calls. Column names were checked against the schema before they got
 * here, and every value goes through Sequelize (bound as a parameter, or escaped by it in the multi-row inserts of
 * replicated rows): there is no path from a request to SQL text.
 */

const OPERATORS = { eq: Op.eq, ne: Op.ne, gt: Op.gt, gte: Op.gte, lt: Op.lt, lte: Op.lte, in: Op.in } as const;

function toCondition(cond: Condition): unknown {
  if (cond === null || typeof cond !== 'object') return cond;
  const out: Record<symbol, unknown> = {};
  for (const [name, value] of Object.entries(cond)) {
    if (value !== undefined) out[OPERATORS[name as keyof typeof OPERATORS]] = value;
  }
  return out;
}

function toWhere(where: Where | undefined): WhereOptions {
  const out: Record<string, unknown> = {};
  for (const [column, cond] of Object.entries(where ?? {})) out[column] = toCondition(cond);
  return out as WhereOptions;
}

export async function runRead(db: WorkerDatabase, req: ReadRequest): Promise<Record<string, unknown>[]> {
  if (req.count) return [{ count: await db.tables[req.table].count({ where: toWhere(req.where) }) }];
  const rows = await db.tables[req.table].findAll({
    attributes: req.columns,
    where: toWhere(req.where),
    order: req.orderBy?.map((o) => [o.column, o.direction.toUpperCase()]),
    limit: req.limit,
    raw: true,
  });
  return rows as unknown as Record<string, unknown>[];
}

/** The extra column a snapshot read selects: no table has a column of that name. */
const SNAPSHOT_LSN = '__snapshot_applied_lsn';

/**
 * A read's rows together with the applied LSN of the very state they come from. One SELECT is one SQLite snapshot, so
 * the LSN is selected in it, next to each row; read from memory before or after, it could disagree with the rows
 * whenever a replication batch commits (on its own connection) while the read runs. No rows: `lsn` is undefined
 * (the caller's LSN from before the read is then right: the snapshot is at least that recent and shows nothing).
 */
export async function runSnapshotRead(db: WorkerDatabase, req: ReadRequest): Promise<{ rows: Record<string, unknown>[]; lsn?: number }> {
  const lsn: [ReturnType<typeof db.sequelize.literal>, string] = [db.sequelize.literal('(SELECT applied_lsn FROM _replication WHERE id = 1)'), SNAPSHOT_LSN];
  const rows = (await db.tables[req.table].findAll({
    attributes: req.columns ? [...req.columns, lsn] : { include: [lsn] },
    where: toWhere(req.where),
    order: req.orderBy?.map((o) => [o.column, o.direction.toUpperCase()]),
    limit: req.limit,
    raw: true,
  })) as unknown as Record<string, unknown>[];
  let at: number | undefined;
  for (const row of rows) {
    at = Number(row[SNAPSHOT_LSN]);
    delete row[SNAPSHOT_LSN];
  }
  return { rows, lsn: at };
}

/**
 * Inserts rows, keys included, into one table with one multi-row INSERT (all or nothing: SQLite undoes a failed
 * statement). It skips the model's validation and coercion: only for replicated rows, which the master already wrote
 * through `applyWrite`.
 */
export async function insertMany(db: WorkerDatabase, table: TableName, rows: Values[], t: Transaction): Promise<void> {
  await db.sequelize.getQueryInterface().bulkInsert(table, rows as Record<string, unknown>[], { transaction: t });
}

/** A write applied inside its transaction, before it has an LSN (so not yet a `WriteResult`). */
export interface WriteOutcome extends Omit<WriteResult, 'lsn'> {
  /** The write as applied, with any key the database assigned: what goes into the replication log. */
  resolved: SyncOp;
}

/** Applies one write inside `t`. Constraint violations become ConflictError (409). */
export async function applyWrite(db: WorkerDatabase, op: WriteOp | SyncOp, t: Transaction): Promise<WriteOutcome> {
  try {
    switch (op.op) {
      case 'insert': {
        const created = await db.tables[op.table].create(op.values, { transaction: t });
        const keyColumn = autoIncrementColumn(op.table);
        const insertedId = keyColumn ? (created.get(keyColumn) as number) : undefined;
        const values = keyColumn ? { ...op.values, [keyColumn]: insertedId ?? null } : op.values;
        return { changes: 1, insertedId, resolved: { ...op, values } };
      }
      case 'update': {
        const [changes] = await db.tables[op.table].update(op.values, { where: toWhere(op.where), transaction: t });
        return { changes, resolved: op };
      }
      case 'delete': {
        const changes = await db.tables[op.table].destroy({ where: toWhere(op.where), transaction: t });
        return { changes, resolved: op };
      }
      case 'clear': {
        let changes = 0;
        // Children first, so that no foreign key is ever left dangling mid-way.
        for (const name of [...TABLE_NAMES].reverse()) changes += await db.tables[name].destroy({ where: {}, transaction: t });
        return { changes, resolved: op };
      }
      case 'epoch':
        return { changes: 0, resolved: op };
    }
  } catch (err) {
    if (err instanceof UniqueConstraintError) {
      const fields = Object.keys(err.fields ?? {}).join(', ');
      throw new ConflictError(`a row with the same ${fields || 'key'} already exists in ${'table' in op ? op.table : 'the table'}`);
    }
    if (err instanceof ForeignKeyConstraintError) {
      throw new ConflictError(`the write refers to a row that does not exist (foreign key in ${'table' in op ? op.table : 'the table'})`);
    }
    throw err;
  }
}
