import fs from 'node:fs';
import path from 'node:path';
import { DataTypes, Model, Sequelize, type ModelAttributes, type ModelStatic, type Transaction } from 'sequelize';
import { TABLES, TABLE_NAMES, type TableName } from '../../common/protocol/tables';

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
}

class ReplicationRow extends Model {
  declare id: number;
  declare applied_lsn: number;
  declare applied_offset: number;
  declare epoch: number;
}

class AppliedWrite extends Model {
  declare write_id: string;
  declare lsn: number;
  declare changes: number;
  declare inserted_id: string | null;
}

/** What a write did, kept with its writeId so that a redelivered write is answered exactly as the first time. */
export interface AppliedOutcome {
  lsn: number;
  changes: number;
  insertedId?: number | string;
}

export class WorkerDatabase {
  private constructor(
    readonly sequelize: Sequelize,
    readonly tables: Readonly<Record<TableName, ModelStatic<Model>>>,
  ) {}

  static async open(file: string): Promise<WorkerDatabase> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false, pool: { max: 1 } });
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
      },
      { sequelize, tableName: '_applied_writes', timestamps: false },
    );
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA synchronous = NORMAL');
    await sequelize.sync();
    await ReplicationRow.findOrCreate({ where: { id: 1 }, defaults: { id: 1, applied_lsn: 0, applied_offset: -1, epoch: 0 } });
    return new WorkerDatabase(sequelize, tables);
  }

  async replicationState(transaction?: Transaction): Promise<ReplicationState> {
    const row = await ReplicationRow.findByPk(1, { transaction, rejectOnEmpty: true });
    return { appliedLsn: row.applied_lsn, appliedOffset: row.applied_offset, epoch: row.epoch };
  }

  async saveReplicationState(state: ReplicationState, transaction: Transaction): Promise<void> {
    await ReplicationRow.update(
      { applied_lsn: state.appliedLsn, applied_offset: state.appliedOffset, epoch: state.epoch },
      { where: { id: 1 }, transaction },
    );
  }

  /** The outcome of a writeId, if it was applied. */
  async appliedWrite(writeId: string, transaction?: Transaction): Promise<AppliedOutcome | undefined> {
    const row = await AppliedWrite.findByPk(writeId, { transaction });
    if (!row) return undefined;
    return { lsn: row.lsn, changes: row.changes, ...(row.inserted_id !== null ? { insertedId: JSON.parse(row.inserted_id) } : {}) };
  }

  async recordWrite(writeId: string, outcome: AppliedOutcome, transaction: Transaction): Promise<void> {
    const inserted_id = outcome.insertedId === undefined ? null : JSON.stringify(outcome.insertedId);
    await AppliedWrite.create({ write_id: writeId, lsn: outcome.lsn, changes: outcome.changes, inserted_id }, { transaction });
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
