import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, DbaasError, TimeoutError, UnavailableError, ValidationError } from '../../common/errors/errors';
import type { ReadRequest, WriteRequest } from '../../common/protocol/requests';
import { errorMessage, requestJson, type JsonAnswer } from './http-json';
import type { LsnTracker } from './lsn';
import type { WriteResult } from '../../common/protocol/write-result';

export interface DbaasClientOptions {
  /** The orchestrator, e.g. http://127.0.0.1:80. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token: string | undefined;
  timeoutMs: number;
  /** Most attempts at a write whose outcome is unknown (504, 503), all with the same writeId. */
  writeAttempts: number;
  /** The service's highest seen LSN: every answer moves it on, every read waits for it. */
  lsn: LsnTracker;
}

export type Row = Record<string, unknown>;

const lsnSchema = z.number().int().min(0);
const readReply = z.object({ rows: z.array(z.record(z.string(), z.unknown())), lsn: lsnSchema });
const writeReply = z.object({ lsn: lsnSchema, changes: z.number().int().min(0), insertedId: z.union([z.number(), z.string()]).optional() });

/*
 * The RideShare services' only way to their data: structured requests to the orchestrator's db/read, db/write and
 * db/clear. A duplicate key or a broken reference comes back as ConflictError for the domain to name; the rest of
 * the DBaaS's failures keep their meaning (504 timeout, 503 unavailable) or are a 500 (the request was ours).
 */
export class DbaasClient {
  constructor(private readonly o: DbaasClientOptions) {}

  /** A read that sees at least every write this service has seen (and `atLeast`, from the caller). */
  async read(request: Omit<ReadRequest, 'minLsn'>, atLeast = 0): Promise<Row[]> {
    const minLsn = Math.max(this.o.lsn.highest, atLeast);
    // Every LSN this service has seen was acknowledged; only a caller's floor can be beyond the newest, which the
    // DBaaS refuses (400): that is the caller's mistake, not ours.
    const callersFloor = atLeast > this.o.lsn.highest;
    const answer = await this.call('/api/v1/db/read', minLsn > 0 ? { ...request, minLsn } : request, (message) =>
      callersFloor ? new ValidationError(`invalid X-DBaaS-Min-LSN: ${message}`) : undefined,
    );
    const reply = this.decode(readReply, answer, 'read');
    this.o.lsn.observe(reply.lsn);
    return reply.rows;
  }

  /**
   * A write with a writeId of its own: when its outcome is unknown (the DBaaS did not answer in time, or was
   * unavailable) it is sent again, up to `writeAttempts` times, and a write that did happen is answered as the first
   * time instead of happening twice (one ride, not two).
   */
  async write(request: WriteRequest): Promise<WriteResult> {
    const body = { ...request, writeId: request.writeId ?? `rideshare-${randomUUID()}` };
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.call('/api/v1/db/write', body);
        const reply = this.decode(writeReply, answer, 'write');
        this.o.lsn.observe(reply.lsn);
        return reply;
      } catch (err) {
        if (attempt >= this.o.writeAttempts || !(err instanceof TimeoutError || err instanceof UnavailableError)) throw err;
      }
    }
  }

  /** Empties every table of the DBaaS. */
  async clear(): Promise<void> {
    const answer = await this.call('/api/v1/db/clear', undefined);
    this.o.lsn.observe(this.decode(z.object({ lsn: lsnSchema }), answer, 'clear').lsn);
  }

  /** `refused`: the error a 400 stands for, when it is the caller's (else the request was ours: a 500). */
  private async call(path: string, body: unknown, refused?: (message: string) => Error | undefined): Promise<JsonAnswer> {
    const answer = await requestJson(`${this.o.baseUrl}${path}`, {
      method: 'POST',
      body,
      headers: this.o.token ? { authorization: `Bearer ${this.o.token}` } : {},
      timeoutMs: this.o.timeoutMs,
      what: 'the DBaaS orchestrator',
    });
    if (answer.status < 300) return answer;
    const message = errorMessage(answer);
    switch (answer.status) {
      case 400: {
        const callers = refused?.(message);
        if (callers) throw callers;
        throw new DbaasError('internal', `the database refused a request (400): ${message}`);
      }
      case 409:
        throw new ConflictError(message);
      case 504:
        throw new TimeoutError(`the database did not answer in time: ${message}`);
      case 503:
        throw new UnavailableError(`the database is unavailable: ${message}`);
      default:
        throw new DbaasError('internal', `the database refused a request (${answer.status}): ${message}`);
    }
  }

  private decode<S extends z.ZodType>(schema: S, answer: JsonAnswer, what: string): z.output<S> {
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new UnavailableError(`the DBaaS orchestrator gave an unexpected answer to a ${what}`);
    return parsed.data;
  }
}
