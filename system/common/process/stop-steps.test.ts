import { once, runStopSteps, StopError } from './stop-steps';

describe('runStopSteps', () => {
  it('runs every step even when one fails, then names the failed ones', async () => {
    const ran: string[] = [];
    const err = await runStopSteps([
      { name: 'a', run: () => void ran.push('a') },
      { name: 'b', run: async () => { ran.push('b'); throw new Error('stuck'); } },
      { name: 'c', run: () => void ran.push('c') },
    ]).catch((e: unknown) => e);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(err).toBeInstanceOf(StopError);
    expect((err as StopError).message).toBe('stop failed at: b (stuck)');
  });
});

describe('once', () => {
  it('makes a second stop wait for the first instead of returning early', async () => {
    let calls = 0;
    let finish!: () => void;
    const stop = once(() => {
      calls++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = stop();
    let secondDone = false;
    const second = stop().then(() => (secondDone = true));
    await new Promise((r) => setImmediate(r));
    expect(secondDone).toBe(false);
    finish();
    await Promise.all([first, second]);
    expect(secondDone).toBe(true);
    expect(calls).toBe(1);
  });
});
