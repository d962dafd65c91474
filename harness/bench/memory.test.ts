import { MemorySampler, parseParentPid, parseProcStatus, readProcMemory } from './memory';

test('reads VmRSS and VmHWM out of /proc/<pid>/status text', () => {
  const text = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   80000 kB\nThreads:\t11\n';
  expect(parseProcStatus(text)).toEqual({ rssKb: 80000, hwmKb: 81234 });
  expect(parseProcStatus('Name:\tkthread\n')).toBeUndefined();
});

test('finds the parent PID even when the command name holds spaces and parentheses', () => {
  expect(parseParentPid('1234 (node) S 99 1234 1234 0 -1')).toBe(99);
  expect(parseParentPid('1234 (a b) c)) R 42 1 1 0')).toBe(42);
  expect(parseParentPid('garbage')).toBeUndefined();
});

test('samples a real process: this one', () => {
  const own = readProcMemory(process.pid);
  expect(own!.hwmKb).toBeGreaterThan(0);
  const sampler = new MemorySampler(process.pid, 1000);
  sampler.start();
  const peaks = sampler.stop();
  expect(peaks.find((p) => p.pid === process.pid)).toMatchObject({ role: 'orchestrator' });
  expect(peaks.find((p) => p.pid === process.pid)!.peakKb).toBeGreaterThanOrEqual(own!.hwmKb);
});
