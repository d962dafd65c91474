import express, { type Request, type Response } from 'express';
import { UnavailableError, ValidationError } from '../../common/errors/errors';
import { errorHandler, methodNotAllowed, notFound } from '../../common/http/error-handler';
import type { Logger } from '../../common/logging/logger';
import { describeIssues, readRequestSchema, writeRequestSchema } from '../../common/protocol/requests';
import type { AckedLsn } from '../queue/acked-lsn';
import type { RpcClient } from '../queue/rpc-client';
import type { Supervisor } from '../supervision/supervisor';
import { requireToken } from '../../common/http/auth';
import type { OrchestratorMetrics } from './metrics';

export interface AppDeps {
  rpc: RpcClient;
  /** The newest acknowledged LSN: bounds a read's minLsn; every reply moves it on. */
  ackedLsn: AckedLsn;
  supervisor: Supervisor;
  metrics: OrchestratorMetrics;
  log: Logger;
  token: string | undefined;
  bodyLimit: string;
  /** Called for every db read request (the autoscaler counts them). */
  onRead: () => void;
  /** Extra read-only views (scaling state) keyed by path under /api/v1. */
  views?: Record<string, () => unknown>;
  /** Whether the orchestrator has a usable ZooKeeper session (without one, what needs ZooKeeper answers 503). */
  zookeeperUp?: () => boolean;
  /** Refreshes gauges that are read off other parts just before /metrics answers. */
  gauges?: () => void;
}

/*
 * The orchestrator's HTTP API. It validates, publishes and waits; it never touches a database.
 */
export function createApp(d: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: d.bodyLimit, strict: true, type: () => true }));

  app.get('/healthz', (_req, res) =>
    void res.json({ status: 'ok', broker: d.rpc.connected ? 'up' : 'down', ...(d.zookeeperUp ? { zookeeper: d.zookeeperUp() ? 'up' : 'down' } : {}) }),
  );
  app.use(requireToken(d.token));

  const timed = (kind: string, fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    const end = d.metrics.latency.startTimer({ kind });
    try {
      await fn(req, res);
      d.metrics.requests.inc({ kind, status: String(res.statusCode) });
    } catch (err) {
      d.metrics.requests.inc({ kind, status: String((err as { status?: number }).status ?? 500) });
      throw err;
    } finally {
      end();
    }
  };

  app
    .route('/api/v1/db/read')
    .post(
      timed('read', async (req, res) => {
        d.onRead();
        const parsed = readRequestSchema.safeParse(req.body);
        if (!parsed.success) throw new ValidationError(`invalid read request: ${describeIssues(parsed.error)}`);
        const { minLsn } = parsed.data;
        if (minLsn !== undefined && !(await d.ackedLsn.admits(minLsn))) {
          throw new ValidationError(
            `minLsn ${minLsn} is beyond the newest acknowledged write (LSN ${d.ackedLsn.highest}): no replica will reach it; pass an LSN a write or read answered with`,
          );
        }
        const reply = await d.rpc.read(parsed.data);
        d.ackedLsn.observe(reply.lsn);
        res.json({ rows: reply.rows ?? [], lsn: reply.lsn, worker: reply.worker });
      }),
    )
    .all(methodNotAllowed(['POST']));

  app
    .route('/api/v1/db/write')
    .post(
      timed('write', async (req, res) => {
        const parsed = writeRequestSchema.safeParse(req.body);
        if (!parsed.success) throw new ValidationError(`invalid write request: ${describeIssues(parsed.error)}`);
        const { writeId, ...request } = parsed.data;
        const reply = await d.rpc.write({ writeId, request });
        d.ackedLsn.observe(reply.lsn);
        // A redelivered write is answered like the first delivery: the client asked once, its write happened once.
        res.status(request.op === 'insert' ? 201 : 200).json({
          lsn: reply.lsn,
          worker: reply.worker,
          changes: reply.changes ?? 0,
          ...(reply.insertedId !== undefined ? { insertedId: reply.insertedId } : {}),
          ...(reply.duplicate ? { duplicate: true } : {}),
        });
      }),
    )
    .all(methodNotAllowed(['POST']));

  app
    .route('/api/v1/db/clear')
    .post(
      timed('clear', async (_req, res) => {
        const reply = await d.rpc.write({ request: { op: 'clear' } });
        d.ackedLsn.observe(reply.lsn);
        res.json({ lsn: reply.lsn, worker: reply.worker, changes: reply.changes ?? 0 });
      }),
    )
    .all(methodNotAllowed(['POST']));

  app
    .route('/api/v1/worker/list')
    .get(async (_req, res) => void res.json(await d.supervisor.pids()))
    .all(methodNotAllowed(['GET']));

  app
    .route('/api/v1/workers')
    .get(async (_req, res) => void res.json(await d.supervisor.workers()))
    .all(methodNotAllowed(['GET']));

  app
    .route('/api/v1/workers/checksums')
    .get(async (_req, res) => {
      const workers = await d.supervisor.workers();
      const sums = await Promise.all(
        workers.map(async (w) => {
          try {
            const reply = await d.rpc.control(w.id, { cmd: 'checksum' }, 3000);
            return { pid: w.pid, role: w.role, appliedLsn: reply.lsn, tables: reply.rows ?? [] };
          } catch (err) {
            return { pid: w.pid, role: w.role, error: (err as Error).message };
          }
        }),
      );
      res.json(sums);
    })
    .all(methodNotAllowed(['GET']));

  for (const role of ['master', 'slave'] as const) {
    app
      .route(`/api/v1/crash/${role}`)
      .post(async (_req, res) => void res.json([await d.supervisor.crash(role)]))
      .all(methodNotAllowed(['POST']));
  }

  for (const [path, view] of Object.entries(d.views ?? {})) {
    app
      .route(`/api/v1/${path}`)
      .get(async (_req, res) => void res.json(await view()))
      .all(methodNotAllowed(['GET']));
  }

  app.get('/metrics', async (_req, res) => {
    // Without a ZooKeeper session the roles are unknown: the other metrics are served all the same.
    const workers = await d.supervisor.workers().catch((err) => {
      if (err instanceof UnavailableError) return undefined;
      throw err;
    });
    if (workers) {
      d.metrics.workers.reset();
      for (const w of workers) d.metrics.workers.inc({ role: w.role });
    }
    d.gauges?.();
    res.set('Content-Type', d.metrics.registry.contentType);
    res.send(await d.metrics.registry.metrics());
  });

  app.use(notFound);
  app.use(errorHandler(d.log));
  return app;
}
