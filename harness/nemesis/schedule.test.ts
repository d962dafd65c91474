import { killMaster } from './faults/kill-master';
import { killSlave } from './faults/kill-slave';
import { restartRabbitMq } from './faults/restart-rabbitmq';
import { drawFault } from './schedule';
import { seededRandom } from '../workload/random';

test('a weighted draw picks each fault in proportion to its weight', () => {
  const random = seededRandom(7);
  const counts = new Map<string, number>();
  for (let i = 0; i < 10000; i++) {
    const f = drawFault([killMaster, killSlave, restartRabbitMq], random, { 'kill-master': 8 });
    counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  }
  // 8 : 1 : 1 of 10,000 draws.
  expect(counts.get('kill-master')).toBeGreaterThan(7700);
  expect(counts.get('kill-master')).toBeLessThan(8300);
  expect(counts.get('kill-slave')).toBeGreaterThan(850);
  expect(counts.get('restart-rabbitmq')).toBeGreaterThan(850);
});

test('the edges of the draw land on the first and the last fault', () => {
  expect(drawFault([killMaster, killSlave], () => 0, { 'kill-master': 3 }).kind).toBe('kill-master');
  expect(drawFault([killMaster, killSlave], () => 0.9999, { 'kill-master': 3 }).kind).toBe('kill-slave');
  expect(drawFault([killMaster, killSlave], () => 0.74, { 'kill-master': 3 }).kind).toBe('kill-master');
  expect(drawFault([killMaster, killSlave], () => 0.76, { 'kill-master': 3 }).kind).toBe('kill-slave');
});
