import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../system/common/logging/logger';
import { WorkerDatabase } from '../../../system/worker/storage/database';
import { serveParent, type ChildMessage } from '../child-host';
import { createBaselineApp } from './baseline-app';

const HELP = `Usage: (started by npm run bench) node --import tsx harness/bench/baseline/baseline-process.ts

The benchmark's baseline server: POST /api/v1/db/read and /api/v1/db/write answered in this one process from a
fresh SQLite file through Sequelize (no broker, no workers), on 127.0.0.1 and a free port, announced over IPC.`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void console.log(HELP);
  if (!process.send) throw new Error('baseline-process must be started with an IPC channel (by npm run bench)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbaas-baseline-'));
  const db = await WorkerDatabase.open(path.join(dir, 'baseline.sqlite'));
  const app = createBaselineApp(db, createLogger('baseline', 'warn'));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serveParent(
    { url: `http://127.0.0.1:${port}` },
    {
      command: async (c) => {
        throw new Error(`unknown command ${JSON.stringify(c)}`);
      },
      stop: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    },
  );
}

main().catch((err) => {
  console.error(`baseline-process: ${(err as Error).stack}`);
  process.send?.({ type: 'fatal', message: `the baseline server did not start: ${(err as Error).message}` } satisfies ChildMessage);
  process.exit(1);
});
