import { ensureTestServices } from '../testing/test-services';
import { FuzzUsageError, parseFuzzArgs } from './fuzz-args';
import { startFuzzSystem } from './fuzz-system';
import { formatReport, newToken, runFuzz } from './runner';

const HELP = `Usage: npm run fuzz -- [--requests N] [--seed S] [--poison P] [--concurrency C]

Hostile input at volume. Starts a DBaaS with a token (orchestrator, master, two slaves) on the local RabbitMQ and
ZooKeeper (LOCAL_RABBITMQ_PORT / LOCAL_ZOOKEEPER_PORT; started if not running), the users and rides services and the
gateway on 127.0.0.1, seeds two users and a ride, then sends:
  - N generated HTTP requests (default 10000), about half to the orchestrator and half to the gateway: wrong types,
    deep nesting, huge numbers and strings, unicode, injection strings, bad JSON, huge bodies, wrong methods and paths,
    bad minLsn and writeId, bad Authorization, Content-Type, Content-Encoding and X-DBaaS-Min-LSN headers;
  - P poison messages (default N/5) to readQ, writeQ, responseQ and each worker's control queue: not JSON, wrong
    shapes, huge, empty, odd or missing correlation ids and reply queues. syncQ is left out on purpose: it is the
    replication log, and a forged record there stops the system by design (docs/write-path.md).
Every request is meant to change nothing: writes are invalid, db/clear and crash/* only without the token.
The same seed (default: from the clock, printed) gives the same requests. C requests are in flight at once (default 4).

Prints: requests sent by target and status class (and status), poison messages by queue, worker processes restarted
(PIDs before and after), rows changed (replica table checksums before and after), how far the applied LSN moved, and
each finding (a 5xx, or a request a server did not answer). Exit status 1 when there is a finding, a restart or a
changed row.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseFuzzArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof FuzzUsageError)) throw err;
    console.error(`fuzz: ${err.message}\n\n${HELP}`);
    return 2;
  }
  if (args === 'help') {
    console.log(HELP);
    return 0;
  }
  const services = await ensureTestServices('fuzz');
  const token = newToken();
  console.log(`fuzz: ${args.requests} requests and ${args.poison} poison messages, seed ${args.seed}; starting the system`);
  const fx = await startFuzzSystem(token);
  try {
    const report = await runFuzz({
      orchestratorUrl: fx.sys.orchestrator.url,
      gatewayUrl: fx.gatewayUrl,
      token,
      rabbitmqUrl: fx.sys.rabbitmqUrl,
      world: fx.world,
      requests: args.requests,
      poison: args.poison,
      seed: args.seed,
      concurrency: args.concurrency,
      progress: (sent, total) => console.log(`  ${sent}/${total} requests`),
    });
    console.log(formatReport(report));
    const bad = report.findings.length + report.restarted.gone.length + report.restarted.added.length + report.rowsChanged.length;
    return bad > 0 ? 1 : 0;
  } finally {
    await fx.stop();
    await services.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`fuzz: ${(err as Error).stack}`);
    process.exit(1);
  },
);
