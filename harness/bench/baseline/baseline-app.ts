import express from 'express';
import { ValidationError } from '../../../system/common/errors/errors';
import { errorHandler, notFound } from '../../../system/common/http/error-handler';
import type { Logger } from '../../../system/common/logging/logger';
import { describeIssues, readRequestSchema, writeRequestSchema } from '../../../system/common/protocol/requests';
import type { WorkerDatabase } from '../../../system/worker/storage/database';
import { applyWrite, runRead } from '../../../system/worker/storage/queries';

/*
 * The benchmark's baseline: the same two endpoints as the orchestrator, answered by one process that reads and writes
 * a SQLite file through Sequelize directly. No broker, no replication log, no second process. It parses and validates
 * requests and runs them with the workers' own query code, so the ratio ours / baseline is the price of the
 * distribution (HTTP hop to a queue, RabbitMQ, the worker's reply, the log append), not of a different query.
 */
export function createBaselineApp(db: WorkerDatabase, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb', strict: true, type: () => true }));
  // One write transaction at a time, as the master applies them: Sequelize gives each SQLite transaction its own
  // connection, and concurrent writers on one file would fail with SQLITE_BUSY instead of waiting their turn.
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = writes.then(fn);
    writes = next.catch(() => undefined);
    return next;
  };

  app.post('/api/v1/db/read', async (req, res) => {
    const parsed = readRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new ValidationError(`invalid read request: ${describeIssues(parsed.error)}`);
    const { minLsn: _ignored, ...read } = parsed.data;
    res.json({ rows: await runRead(db, read), lsn: 0, worker: process.pid });
  });

  app.post('/api/v1/db/write', async (req, res) => {
    const parsed = writeRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new ValidationError(`invalid write request: ${describeIssues(parsed.error)}`);
    const { writeId: _unused, ...request } = parsed.data;
    const result = await serialized(() => db.transaction((t) => applyWrite(db, request, t)));
    res.status(request.op === 'insert' ? 201 : 200).json({
      lsn: 0,
      worker: process.pid,
      changes: result.changes,
      ...(result.insertedId !== undefined ? { insertedId: result.insertedId } : {}),
    });
  });

  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
