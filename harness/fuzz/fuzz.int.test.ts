import { startFuzzSystem, type FuzzSystem } from './fuzz-system';
import { formatReport, newToken, runFuzz } from './runner';

/*
 * Hostile input at volume, the short run (the long one is `npm run fuzz`): generated requests to the orchestrator and
 * the gateway, poison messages to readQ, writeQ, responseQ and the workers' control queues. Not one 5xx, not one
 * unanswered request, no worker restarted, no row changed.
 */

const REQUESTS = 2000;
const SEED = 20261130;

let fx: FuzzSystem;
const token = newToken();

beforeAll(async () => {
  fx = await startFuzzSystem(token);
});

afterAll(async () => {
  await fx?.stop();
});

test(`${REQUESTS} hostile requests and ${REQUESTS / 5} poison messages: no 5xx, no restart, no changed row`, async () => {
  const report = await runFuzz({
    orchestratorUrl: fx.sys.orchestrator.url,
    gatewayUrl: fx.gatewayUrl,
    token,
    rabbitmqUrl: fx.sys.rabbitmqUrl,
    world: fx.world,
    requests: REQUESTS,
    poison: REQUESTS / 5,
    seed: SEED,
  });
  const summary = formatReport(report);
  const findings = summary.split('\n').slice(summary.split('\n').findIndex((l) => l.startsWith('findings')) + 1);
  expect({ findings, restarted: report.restarted, rowsChanged: report.rowsChanged, summary }).toEqual({
    findings: [],
    restarted: { gone: [], added: [] },
    rowsChanged: [],
    summary,
  });
  const sent = Object.values(report.byTarget.orchestrator).reduce((a, b) => a + b, 0) + Object.values(report.byTarget.gateway).reduce((a, b) => a + b, 0);
  expect(sent).toBeGreaterThanOrEqual(REQUESTS * 0.99);
  expect(Object.values(report.poisonByQueue).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(REQUESTS / 5 - 5);
  // Both targets took a share, and most answers were refusals.
  expect(report.byTarget.orchestrator['4xx']).toBeGreaterThan(REQUESTS / 4);
  expect(report.byTarget.gateway['4xx']).toBeGreaterThan(REQUESTS / 4);
});
