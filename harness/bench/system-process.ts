import { startTestSystem } from '../testing/test-system';
import { serveParent, type ChildMessage } from './child-host';

const HELP = `Usage: (started by npm run bench) node --import tsx harness/bench/system-process.ts '<json env overrides>'

Runs one DBaaS for the benchmark: the orchestrator in this process, its workers as child processes, in a vhost and
ZooKeeper root of its own on the servers named by TEST_RABBITMQ_URL / TEST_ZOOKEEPER_CONNECT. Talks to its parent
over IPC: announces its URL, takes "scale", "stop-orchestrator" and "start-orchestrator" commands, stops on "stop" or when the parent goes away.`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void console.log(HELP);
  if (!process.send) throw new Error('system-process must be started with an IPC channel (by npm run bench)');
  const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
  const sys = await startTestSystem(env);
  serveParent(
    { url: sys.orchestrator.url, rabbitmqUrl: sys.rabbitmqUrl, zookeeperConnect: sys.zookeeperConnect },
    {
      command: async (c) => {
        if (c.cmd === 'scale' && typeof c.slaves === 'number') await sys.orchestrator.supervisor.setWantedSlaves(c.slaves);
        else if (c.cmd === 'stop-orchestrator') await sys.stopOrchestrator();
        else if (c.cmd === 'start-orchestrator') await sys.startOrchestrator();
        else throw new Error(`unknown command ${JSON.stringify(c)}`);
      },
      stop: () => sys.stop(),
    },
  );
}

main().catch((err) => {
  console.error(`system-process: ${(err as Error).stack}`);
  process.send?.({ type: 'fatal', message: `the system did not start: ${(err as Error).message}` } satisfies ChildMessage);
  process.exit(1);
});
