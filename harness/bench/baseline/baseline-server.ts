import path from 'node:path';
import { HttpClient } from '../../testing/http-client';
import type { BenchContext } from '../bench-system';
import { ChildHost } from '../child-host';

/** The baseline server, in a child process of its own like the system under test. */
export class BaselineServer {
  readonly http: HttpClient;

  private constructor(
    private readonly ctx: BenchContext,
    private readonly host: ChildHost,
    readonly url: string,
  ) {
    this.http = new HttpClient(url);
    ctx.running.add(this);
  }

  static async start(ctx: BenchContext, label: string): Promise<BaselineServer> {
    const { host, info } = await ChildHost.start(path.join(__dirname, 'baseline-process.ts'), [], ctx.logFile(label), 60000);
    return new BaselineServer(ctx, host, String(info.url));
  }

  async stop(): Promise<void> {
    if (!this.ctx.running.delete(this)) return;
    await this.host.stop(10000);
  }
}
