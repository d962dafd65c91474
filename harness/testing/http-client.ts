export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]', '::1'];

/** Every request, load and fault of the tests and the harness goes to loopback: anything else is refused here. */
export function assertLoopback(url: string | URL): void {
  const u = new URL(url);
  if (!LOOPBACK.includes(u.hostname)) throw new Error(`refusing non-loopback target ${u.href}`);
}

/** A small JSON client for tests and the harness; always talks to a loopback address. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    /** Every request is abandoned after this long (a hung request would stall a bounded workload). */
    private readonly timeoutMs = 30000,
  ) {
    assertLoopback(baseUrl);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
}
