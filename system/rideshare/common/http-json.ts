import { TimeoutError, UnavailableError } from '../../common/errors/errors';

export interface JsonAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty. */
  body: unknown;
}

export interface JsonRequest {
  method: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Names the other side in error messages, e.g. "the DBaaS orchestrator". */
  what: string;
}

/*
 * One JSON request from a RideShare service to another HTTP service. Not being able to reach it is a 503, not
 * hearing back in time a 504, and an answer that is not JSON a 503 too: the caller sees why, never a hang.
 */
export async function requestJson(url: string, r: JsonRequest): Promise<JsonAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: r.method,
      headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
      signal: AbortSignal.timeout(r.timeoutMs),
    });
  } catch (err) {
    throw failure(err, r);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw failure(err, r);
  }
  try {
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  } catch {
    throw new UnavailableError(`${r.what} answered ${res.status} with a body that is not JSON`);
  }
}

function failure(err: unknown, r: JsonRequest): Error {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new TimeoutError(`${r.what} did not answer within ${r.timeoutMs} ms`);
  return new UnavailableError(`${r.what} is unavailable: ${e.cause?.code ?? e.cause?.message ?? e.message ?? 'unknown error'}`);
}

/** The message of a JSON error answer ({error: {message}}), or a fallback naming the status. */
export function errorMessage(answer: JsonAnswer): string {
  const body = answer.body as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${answer.status}`;
}
