import pino from 'pino';
import { FakeClock } from '../../common/time/fake-clock';
import { Autoscaler } from './autoscaler';

function setup() {
  const clock = new FakeClock();
  const applied: number[] = [];
  const scaler = new Autoscaler({
    intervalMs: 120_000,
    readsPerSlave: 20,
    maxSlaves: 8,
    apply: async (n) => void applied.push(n),
    log: pino({ level: 'silent' }),
    clock,
  });
  const reads = (n: number) => Array.from({ length: n }, () => scaler.recordRead());
  return { clock, applied, scaler, reads };
}

test('nothing happens before the first read', () => {
  const { clock, applied, scaler } = setup();
  clock.advance(10 * 120_000);
  expect(applied).toEqual([]);
  expect(scaler.snapshot().timerStarted).toBe(false);
});

test('the first read starts the timer; each interval decides from its own count and resets it', () => {
  const { clock, applied, scaler, reads } = setup();
  clock.advance(5_000);
  reads(25);
  clock.advance(119_999);
  expect(applied).toEqual([]);
  clock.advance(1);
  expect(applied).toEqual([2]);
  expect(scaler.snapshot().readsThisInterval).toBe(0);
  reads(45);
  clock.advance(120_000);
  reads(65);
  clock.advance(120_000);
  clock.advance(120_000);
  reads(20);
  clock.advance(120_000);
  reads(21);
  clock.advance(120_000);
  expect(applied).toEqual([2, 3, 4, 1, 1, 2]);
  expect(scaler.snapshot().decisions.map((d) => d.reads)).toEqual([25, 45, 65, 0, 20, 21]);
});

test('ticks keep the cadence of the first read', () => {
  const { clock, scaler, reads } = setup();
  reads(1);
  const start = clock.wall();
  clock.advance(3 * 120_000 + 10);
  expect(scaler.snapshot().decisions.map((d) => d.at - start)).toEqual([120_000, 240_000, 360_000]);
  expect(scaler.snapshot().nextTickInMs).toBe(120_000 - 10);
});

test('the decision is capped at the maximum', () => {
  const { clock, applied, reads } = setup();
  reads(10_000);
  clock.advance(120_000);
  expect(applied).toEqual([8]);
});

test('stop cancels the timer', () => {
  const { clock, applied, scaler, reads } = setup();
  reads(30);
  scaler.stop();
  clock.advance(500_000);
  expect(applied).toEqual([]);
});
