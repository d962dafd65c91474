import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/*
 * Blocking HTTP POST for Node, as k6's `http.post` is blocking: a worker thread does the fetch while the calling
 * thread waits on a shared flag. Used only to run the k6 scripts' functions against a real system (smoke-run.ts).
 */

export interface SyncResponse {
  /** 0 when no response came (refused, timed out). */
  status: number;
  body: string;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', async (req) => {
  let out;
  try {
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
    out = { status: res.status, body: await res.text() };
  } catch (err) {
    out = { status: 0, body: String((err && err.message) || err) };
  }
  workerData.port.postMessage(out);
  Atomics.store(workerData.flag, 0, 1);
  Atomics.notify(workerData.flag, 0);
});
`;

export class SyncHttp {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;

  constructor(private readonly timeoutMs = 10_000) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { eval: true, workerData: { port: port2, flag: this.flag }, transferList: [port2] });
    this.worker.unref();
  }

  post(url: string, body: string, headers: Record<string, string>): SyncResponse {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ url, body, headers, timeoutMs: this.timeoutMs });
    if (Atomics.wait(this.flag, 0, 0, this.timeoutMs + 5000) === 'timed-out') throw new Error(`no answer from the HTTP thread for ${url}`);
    const msg = receiveMessageOnPort(this.port);
    if (!msg) throw new Error(`the HTTP thread signalled without a reply for ${url}`);
    return msg.message as SyncResponse;
  }

  close(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }
}
