import fs from 'node:fs';
import path from 'node:path';
import { readVariable } from '../config/variables';
import { brokerDefinitions } from './broker-definitions';

const USAGE = `Usage: node dist/system/common/services/broker-definitions-cli.js FILE

Writes FILE: RabbitMQ definitions creating the system's broker users (dbaas-orchestrator, dbaas-worker, dbaas-admin)
with their rights on the vhost /, for a broker that imports them at boot (load_definitions). docker-compose.yml runs it
as its one-shot broker-definitions service. The passwords come from RABBITMQ_ORCHESTRATOR_PASSWORD,
RABBITMQ_WORKER_PASSWORD and RABBITMQ_ADMIN_PASSWORD (all three required); the file holds salted hashes only.`;

function main(): number {
  const file = process.argv[2];
  if (!file || file === '--help' || file === '-h') {
    console.log(USAGE);
    return file ? 0 : 2;
  }
  const passwords = {
    orchestrator: readVariable('RABBITMQ_ORCHESTRATOR_PASSWORD') ?? '',
    worker: readVariable('RABBITMQ_WORKER_PASSWORD') ?? '',
    admin: readVariable('RABBITMQ_ADMIN_PASSWORD') ?? '',
  };
  let text: string;
  try {
    text = JSON.stringify(brokerDefinitions(passwords), null, 2);
  } catch (err) {
    console.error(`broker-definitions: ${(err as Error).message}: set it in .env (see .env.example)`);
    return 1;
  }
  // Written then renamed: the broker never reads half a file. Readable by the broker's own user (hashes only).
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, text, { mode: 0o644 });
  fs.renameSync(`${file}.tmp`, file);
  console.log(`broker-definitions: ${file} written (users dbaas-orchestrator, dbaas-worker, dbaas-admin)`);
  return 0;
}

process.exitCode = main();
