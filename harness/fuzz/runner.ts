import fc from 'fast-check';
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import type { WorkerView } from '../../system/common/protocol/worker-view';
import { HttpClient } from '../testing/http-client';
import { isValidWriteMessage, missingQueue, poisonMessage, queueName, type PoisonMessage } from './poison';
import { regressions } from './regressions';
import { anyRequest, isValidWriteText, type FuzzRequest, type FuzzWorld, type Target } from './requests';
import { send, type Answer } from './send';

export interface FuzzOptions {
  orchestratorUrl: string;
  gatewayUrl: string;
  /** The DBaaS token (the system runs with one, so that requests without it are refused). */
  token: string;
  /** The system's RabbitMQ (its vhost), for the poison messages. */
  rabbitmqUrl: string;
  world: FuzzWorld;
  requests: number;
  poison: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  timeoutMs?: number;
  progress?: (sent: number, total: number) => void;
}

/** One answer the fuzzer counts as a finding: a 5xx, or no answer at all from a server that should always answer. */
export interface Finding {
  request: Omit<FuzzRequest, 'body'> & { body?: string };
  answer: Answer;
}

export interface FuzzReport {
  seed: number;
  /** target -> status class ('2xx', '4xx', '5xx', 'no answer') -> count. */
  byTarget: Record<Target, Record<string, number>>;
  /** status -> count, per target. */
  byStatus: Record<Target, Record<string, number>>;
  poisonByQueue: Record<string, number>;
  /** Workers whose PID is gone, and new ones, between before and after. */
  restarted: { gone: number[]; added: number[] };
  /** Replica tables whose checksum (rows and hash) changed. */
  rowsChanged: string[];
  /** How far each replica's applied LSN moved: refused requests that still appended records (changing no row). */
  lsnMoved: string[];
  findings: Finding[];
  /** Answers a client could not get because Node refused to send the request (not the servers' doing). */
  notSent: number;
  elapsedMs: number;
}

const statusClass = (a: Answer) => (a.status === undefined ? (a.error?.startsWith('not sent') ? 'not sent' : 'no answer') : `${Math.floor(a.status / 100)}xx`);

/** The requests of a run: the regressions, then the generated ones, `chunk` at a time (fast-check draws them from the seed; the same seed gives the same ones). */
function* requestsOf(world: FuzzWorld, count: number, seed: number, chunk = 100): Generator<FuzzRequest> {
  yield* regressions(world);
  const arb = anyRequest(world);
  for (let start = 0, n = 0; start < count; start += chunk, n++) {
    // Each chunk's seed mixes the run's seed and the chunk's number: runs with neighbouring seeds share no chunk.
    const chunkSeed = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(n, 0xc2b2ae35)) | 0;
    for (const r of fc.sample(arb, { seed: chunkSeed, numRuns: Math.min(chunk, count - start) })) {
      // Belt and braces: the generators never make a valid orchestrator write; should one slip through, it is not sent.
      if (r.target === 'orchestrator' && r.path.startsWith('/api/v1/db/write') && isValidWriteText(r.body)) continue;
      yield r;
    }
  }
}

interface Snapshot {
  workers: WorkerView[];
  sums: Array<{ pid: number; appliedLsn?: number; tables?: Array<{ table: string; rows: number; sha: string }>; error?: string }>;
}

async function snapshot(http: HttpClient): Promise<Snapshot> {
  const workers = await http.get<WorkerView[]>('/api/v1/workers');
  const sums = await http.get<Snapshot['sums']>('/api/v1/workers/checksums');
  if (workers.status !== 200 || sums.status !== 200) throw new Error(`cannot read the workers (${workers.status}) or their checksums (${sums.status})`);
  return { workers: workers.body, sums: sums.body };
}

function compare(before: Snapshot, after: Snapshot): Pick<FuzzReport, 'restarted' | 'rowsChanged' | 'lsnMoved'> {
  const pidsBefore = new Set(before.workers.map((w) => w.pid));
  const pidsAfter = new Set(after.workers.map((w) => w.pid));
  const gone = [...pidsBefore].filter((p) => !pidsAfter.has(p));
  const added = [...pidsAfter].filter((p) => !pidsBefore.has(p));
  const rowsChanged: string[] = [];
  const lsnMoved: string[] = [];
  for (const b of before.sums) {
    const a = after.sums.find((s) => s.pid === b.pid);
    if (!a) continue; // a worker that is gone is counted as restarted
    if (a.error || b.error) rowsChanged.push(`worker ${b.pid}: no checksum (${a.error ?? b.error})`);
    if (a.appliedLsn !== b.appliedLsn) lsnMoved.push(`worker ${b.pid}: applied LSN ${b.appliedLsn} -> ${a.appliedLsn}`);
    for (const t of b.tables ?? []) {
      const u = (a.tables ?? []).find((x) => x.table === t.table);
      if (!u || u.rows !== t.rows || u.sha !== t.sha) rowsChanged.push(`worker ${b.pid}: ${t.table} ${t.rows} rows ${t.sha} -> ${u?.rows} rows ${u?.sha}`);
    }
  }
  return { restarted: { gone, added }, rowsChanged, lsnMoved };
}

/** Publishes the poison messages; workers answer to a reply queue of ours (or to responseQ, or nowhere). */
async function sendPoison(o: FuzzOptions, workerIds: string[], report: FuzzReport): Promise<void> {
  if (o.poison <= 0) return;
  const connection = await amqp.connect(o.rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const own = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.consume(own.queue, () => undefined, { noAck: true });
    const messages = fc.sample(poisonMessage(), { seed: o.seed ^ 0x5eed, numRuns: o.poison });
    for (const [i, p] of messages.entries()) {
      if (isValidWriteMessage(p)) continue;
      const queue = queueName(p, workerIds, i);
      const replyTo = replyQueue(p, own.queue);
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(
          queue,
          p.content,
          { correlationId: p.correlationId ?? undefined, replyTo, contentType: p.contentType, expiration: p.queue === 'writeQ' ? undefined : '10000' },
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      report.poisonByQueue[p.queue] = (report.poisonByQueue[p.queue] ?? 0) + 1;
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function replyQueue(p: PoisonMessage, own: string): string | undefined {
  if (p.replyTo === 'own') return own;
  if (p.replyTo === 'response') return 'responseQ';
  if (p.replyTo === 'missing-queue') return missingQueue();
  return undefined;
}

/**
 * One fuzzing run: snapshot of the workers and their checksums, the generated requests (both targets, `concurrency`
 * at a time) and poison messages, a short settle, the snapshot again. Findings are the 5xx answers and the requests a
 * server did not answer; restarts and changed rows come from the two snapshots.
 */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const admin = new HttpClient(o.orchestratorUrl, o.token);
  const before = await snapshot(admin);
  const report: FuzzReport = {
    seed: o.seed,
    byTarget: { orchestrator: {}, gateway: {} },
    byStatus: { orchestrator: {}, gateway: {} },
    poisonByQueue: {},
    restarted: { gone: [], added: [] },
    rowsChanged: [],
    lsnMoved: [],
    findings: [],
    notSent: 0,
    elapsedMs: 0,
  };
  const timeoutMs = o.timeoutMs ?? 30000;
  const poisoning = sendPoison(o, before.workers.map((w) => w.id), report);
  poisoning.catch(() => undefined);
  const it = requestsOf(o.world, o.requests, o.seed);
  let sent = 0;
  const workerLoop = async () => {
    for (;;) {
      const next = it.next();
      if (next.done) return;
      const r = next.value;
      const answer = await send(r.target === 'orchestrator' ? o.orchestratorUrl : o.gatewayUrl, r, timeoutMs);
      const cls = statusClass(answer);
      report.byTarget[r.target][cls] = (report.byTarget[r.target][cls] ?? 0) + 1;
      const st = answer.status === undefined ? cls : String(answer.status);
      report.byStatus[r.target][st] = (report.byStatus[r.target][st] ?? 0) + 1;
      if (cls === 'not sent') report.notSent++;
      else if (cls === '5xx' || cls === 'no answer') report.findings.push({ request: { ...r, body: r.body?.slice(0, 2000) }, answer });
      sent++;
      if (sent % 500 === 0) o.progress?.(sent, o.requests);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 4 }, workerLoop));
  await poisoning;
  // Let the queues drain (a poison message is answered and acked in milliseconds) before looking again.
  await new Promise((r) => setTimeout(r, 1000));
  const after = await snapshot(admin);
  Object.assign(report, compare(before, after));
  report.elapsedMs = Date.now() - started;
  return report;
}

/** The report as a few lines: the figures the brief asks for. */
export function formatReport(r: FuzzReport): string {
  const lines = [`seed ${r.seed}, ${Math.round(r.elapsedMs / 1000)} s`];
  for (const t of ['orchestrator', 'gateway'] as const) {
    const total = Object.values(r.byTarget[t]).reduce((a, b) => a + b, 0);
    const classes = Object.entries(r.byTarget[t]).sort().map(([k, v]) => `${k} ${v}`).join(', ');
    const statuses = Object.entries(r.byStatus[t]).sort().map(([k, v]) => `${k}:${v}`).join(' ');
    lines.push(`${t}: ${total} requests (${classes}); by status ${statuses}`);
  }
  lines.push(`poison messages: ${Object.entries(r.poisonByQueue).sort().map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} (syncQ left out: a forged record there stops the system by design)`);
  lines.push(`worker processes restarted: ${r.restarted.gone.length} (gone ${JSON.stringify(r.restarted.gone)}, new ${JSON.stringify(r.restarted.added)})`);
  lines.push(`rows changed: ${r.rowsChanged.length}${r.rowsChanged.length ? `: ${r.rowsChanged.join('; ')}` : ''}`);
  if (r.lsnMoved.length) lines.push(`applied LSN moved (records appended, no row changed): ${r.lsnMoved.join('; ')}`);
  if (r.notSent) lines.push(`not sent (Node refused the generated method or header): ${r.notSent}`);
  lines.push(`findings (5xx or no answer): ${r.findings.length}`);
  for (const f of r.findings.slice(0, 10)) {
    lines.push(`  ${f.request.target} ${f.request.method} ${f.request.path.slice(0, 120)} [${f.request.kind}] -> ${f.answer.status ?? f.answer.error} ${f.answer.body.slice(0, 160)}`);
    if (f.request.body !== undefined) lines.push(`    body: ${JSON.stringify(f.request.body.slice(0, 200))}`);
    lines.push(`    headers: ${JSON.stringify(f.request.headers).slice(0, 300)}`);
  }
  return lines.join('\n');
}

export const newToken = () => `fuzz-${randomUUID()}`;
