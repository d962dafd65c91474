import fs from 'node:fs';
import path from 'node:path';
import { DataTypes, Model, Sequelize, type ModelAttributes, type ModelStatic, type Transaction } from 'sequelize';
import { TABLES, TABLE_NAMES, type TableName } from '../../common/protocol/tables';
import type { WriteResult } from '../../common/protocol/write-result';

/*
 * A worker's own SQLite database, through Sequelize. Besides the RideShare tables it holds the replication state:
 * the last applied LSN, the stream offset it came from and the highest epoch seen (one row), and the writeIds already
 * applied. These change in the same transaction as the data, which is what makes replay exactly-once.
 */

export interface ReplicationState {
  appliedLsn: number;
  /** Offset in syncQ of the last record consumed; -1 before the first. */
  appliedOffset: number;
  epoch: number;
  /** The id of the log these records came from (its genesis marker's); null before the first record. */
  logId: string | null;
  /** The writer (PID) the current epoch's marker named: the only one whose records count in this epoch. */
  epochMaster: number | null;
  /** What the log held up to appliedOffset, in estimated stored bytes (log-bytes.ts): how far the bounded log reaches. */
  logBytes: number;
}

export const EMPTY_REPLICATION_STATE: ReplicationState = { appliedLsn: 0, appliedOffset: -1, epoch: 0, logId: null, epochMaster: null, logBytes: 0 };

class ReplicationRow extends Model {
  declare id: number;
  declare applied_lsn: number;
  declare applied_offset: number;
  declare epoch: number;
  declare log_id: string | null;
  declare epoch_master: number | null;
  declare log_bytes: number;
}

class AppliedWrite extends Model {
  declare write_id: string;
  declare lsn: number;
  declare changes: number;
  declare inserted_id: string | null;
  declare request_hash: string | null;
}

/** Rows per statement in batch reads and inserts: 4 columns x 200 stays under SQLite's oldest variable limit (999). */
const CHUNK = 200;

interface SqliteHandle {
  run(sql: string, callback: (err: Error | null) => void): void;
}

/*
 * Sequelize's SQLite dialect opens a new connection for every transaction, and a PRAGMA run through sequelize.query
 * reaches only its default connection. Without this, every transaction (each write on the master, each replication
 * batch) ran with synchronous = FULL and waited for an fsync of the WAL on commit.
 */
function setSynchronousOnEveryConnection(sequelize: Sequelize, level: 'NORMAL'): void {
  const manager = sequelize.connectionManager as unknown as { getConnection(options?: unknown): Promise<SqliteHandle> };
  const open = manager.getConnection.bind(manager);
  const prepared = new WeakSet<SqliteHandle>();
  manager.getConnection = async (options) => {
    const connection = await open(options);
    if (!prepared.has(connection)) {
      prepared.add(connection);
      await new Promise<void>((resolve, reject) => connection.run(`PRAGMA synchronous = ${level}`, (err) => (err ? reject(err) : resolve())));
    }
    return connection;
  };
}

function appliedWriteRow(writeId: string, outcome: WriteResult) {
  const inserted_id = outcome.insertedId === undefined ? null : JSON.stringify(outcome.insertedId);
  return { write_id: writeId, lsn: outcome.lsn, changes: outcome.changes, inserted_id, request_hash: outcome.requestHash ?? null };
}

/** A plain sqlite3 connection to `file`, beside Sequelize's, for what Sequelize has no call for. */
async function openRaw(file: string): Promise<import('sqlite3').Database> {
  const sqlite3 = (await import('sqlite3')).default;
  return new Promise((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(d)));
  });
}

export class WorkerDatabase {
  private constructor(
    readonly sequelize: Sequelize,
    readonly tables: Readonly<Record<TableName, ModelStatic<Model>>>,
    /** The SQLite file. */
    readonly file: string,
  ) {}

  static async open(file: string): Promise<WorkerDatabase> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false, pool: { max: 1 } });
    setSynchronousOnEveryConnection(sequelize, 'NORMAL');
    const tables = {} as Record<TableName, ModelStatic<Model>>;
    for (const name of TABLE_NAMES) {
      const attributes: ModelAttributes = {};
      for (const [column, def] of Object.entries(TABLES[name].columns)) {
        attributes[column] = {
          type: def.type === 'integer' ? DataTypes.INTEGER : DataTypes.STRING(def.maxLength ?? 255),
          primaryKey: def.primaryKey ?? false,
          autoIncrement: def.autoIncrement ?? false,
          allowNull: def.nullable ?? false,
          ...(def.references
            ? { references: { model: def.references.table, key: def.references.column }, onDelete: 'CASCADE' }
            : {}),
        };
      }
      tables[name] = sequelize.define(name, attributes, { tableName: name, timestamps: false, freezeTableName: true });
    }
    ReplicationRow.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true },
        applied_lsn: { type: DataTypes.INTEGER, allowNull: false },
        applied_offset: { type: DataTypes.INTEGER, allowNull: false },
        epoch: { type: DataTypes.INTEGER, allowNull: false },
        log_id: { type: DataTypes.STRING(64), allowNull: true },
        epoch_master: { type: DataTypes.INTEGER, allowNull: true },
        log_bytes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { sequelize, tableName: '_replication', timestamps: false },
    );
    AppliedWrite.init(
      {
        write_id: { type: DataTypes.STRING(128), primaryKey: true },
        lsn: { type: DataTypes.INTEGER, allowNull: false },
        changes: { type: DataTypes.INTEGER, allowNull: false },
        // JSON of the inserted key (number or string), null when the write inserted nothing.
        inserted_id: { type: DataTypes.STRING(256), allowNull: true },
        // What the writeId stood for (requestHash), so that reusing it for another write is a conflict.
        request_hash: { type: DataTypes.STRING(64), allowNull: true },
      },
      { sequelize, tableName: '_applied_writes', timestamps: false },
    );
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.sync();
    await ReplicationRow.findOrCreate({ where: { id: 1 }, defaults: { id: 1, applied_lsn: 0, applied_offset: -1, epoch: 0, log_id: null, epoch_master: null, log_bytes: 0 } });
    return new WorkerDatabase(sequelize, tables, file);
  }

  /**
   * A consistent copy of the database in `dest` (VACUUM INTO), made on a connection of its own: the copy is one read
   * transaction, which in WAL mode neither waits for nor stops the replicator's writes, nor holds up the reads the
   * default connection serves meanwhile.
   */
  async copyTo(dest: string): Promise<void> {
    const handle = await openRaw(this.file);
    try {
      await new Promise<void>((resolve, reject) => handle.run('VACUUM INTO ?', [dest], (err) => (err ? reject(err) : resolve())));
    } finally {
      await new Promise<void>((resolve) => handle.close(() => resolve()));
    }
  }

  /** The replication state inside a copy of a worker database (a snapshot), read without opening it as a replica. */
  static async stateOfCopy(file: string): Promise<ReplicationState> {
    const handle = await openRaw(file);
    try {
      const row = await new Promise<Record<string, unknown> | undefined>((resolve, reject) =>
        handle.get('SELECT applied_lsn, applied_offset, epoch, log_id, epoch_master, log_bytes FROM _replication WHERE id = 1', (err, r) =>
          err ? reject(err) : resolve(r as Record<string, unknown> | undefined),
        ),
      );
      if (!row) throw new Error(`${file} holds no replication state`);
      return {
        appliedLsn: Number(row.applied_lsn),
        appliedOffset: Number(row.applied_offset),
        epoch: Number(row.epoch),
        logId: row.log_id === null ? null : String(row.log_id),
        epochMaster: row.epoch_master === null ? null : Number(row.epoch_master),
        logBytes: Number(row.log_bytes),
      };
    } finally {
      await new Promise<void>((resolve) => handle.close(() => resolve()));
    }
  }

  async replicationState(transaction?: Transaction): Promise<ReplicationState> {
    const row = await ReplicationRow.findByPk(1, { transaction, rejectOnEmpty: true });
    return {
      appliedLsn: row.applied_lsn,
      appliedOffset: row.applied_offset,
      epoch: row.epoch,
      logId: row.log_id,
      epochMaster: row.epoch_master,
      logBytes: Number(row.log_bytes),
    };
  }

  async saveReplicationState(state: ReplicationState, transaction: Transaction): Promise<void> {
    await ReplicationRow.update(
      {
        applied_lsn: state.appliedLsn,
        applied_offset: state.appliedOffset,
        epoch: state.epoch,
        log_id: state.logId,
        epoch_master: state.epochMaster,
        log_bytes: state.logBytes,
      },
      { where: { id: 1 }, transaction },
    );
  }

  /** The outcome of a writeId, if it was applied. */
  async appliedWrite(writeId: string, transaction?: Transaction): Promise<WriteResult | undefined> {
    const row = await AppliedWrite.findByPk(writeId, { transaction });
    if (!row) return undefined;
    return {
      lsn: row.lsn,
      changes: row.changes,
      ...(row.inserted_id !== null ? { insertedId: JSON.parse(row.inserted_id) } : {}),
      ...(row.request_hash !== null ? { requestHash: row.request_hash } : {}),
    };
  }

  /** Which of these writeIds were applied: a few queries for a whole replication batch instead of one per record. */
  async appliedWriteIds(writeIds: string[], transaction?: Transaction): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < writeIds.length; i += CHUNK) {
      const rows = await AppliedWrite.findAll({ attributes: ['write_id'], where: { write_id: writeIds.slice(i, i + CHUNK) }, transaction, raw: true });
      for (const row of rows as unknown as Array<{ write_id: string }>) found.add(row.write_id);
    }
    return found;
  }

  /** Stores the outcomes of applied writes (for answering redeliveries), in multi-row inserts. */
  async recordWrites(entries: Array<{ writeId: string; outcome: WriteResult }>, transaction: Transaction): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      await AppliedWrite.bulkCreate(
        entries.slice(i, i + CHUNK).map((e) => appliedWriteRow(e.writeId, e.outcome)),
        { transaction },
      );
    }
  }

  transaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(fn);
  }

  /** Order-independent checksum of every RideShare table, for comparing replicas. */
  async checksum(): Promise<Record<TableName, { rows: number; sha: string }>> {
    const { createHash } = await import('node:crypto');
    const out = {} as Record<TableName, { rows: number; sha: string }>;
    for (const name of TABLE_NAMES) {
      const pk = Object.entries(TABLES[name].columns).filter(([, c]) => c.primaryKey).map(([k]) => [k, 'ASC'] as [string, string]);
      const rows = await this.tables[name].findAll({ raw: true, order: pk });
      out[name] = { rows: rows.length, sha: createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16) };
    }
    return out;
  }

  close(): Promise<void> {
    return this.sequelize.close();
  }
}
