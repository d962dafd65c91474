import http from 'node:http';
import { startLiveServer } from './live-server';
import { syntheticReport } from './synthetic-report';

/** Reads server-sent events from the live view until `until` says enough (or the stream ends). */
function readEvents(url: string, until: (events: Array<{ event: string; data: string }>) => boolean): Promise<Array<{ event: string; data: string }>> {
  return new Promise((resolve, reject) => {
    const events: Array<{ event: string; data: string }> = [];
    const req = http.get(url, (res) => {
      expect(res.headers['content-type']).toBe('text/event-stream');
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data !== undefined) events.push({ event, data });
        }
        if (until(events)) {
          req.destroy();
          resolve(events);
        }
      });
      res.on('end', () => resolve(events));
      // Our own destroy() above aborts the response: that is the end of reading, not a failure.
      res.on('error', () => resolve(events));
    });
    req.on('error', (err) => (events.length ? resolve(events) : reject(err)));
  });
}

test('the live view serves its page on 127.0.0.1 and streams the charts of the run so far, then ends with the run', async () => {
  const live = await startLiveServer({ port: 0, updateMs: 200, title: 'master-crash' });
  try {
    expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(live.url).then((r) => r.text());
    expect(page).toContain('<script src="/live.js"></script>');
    expect(await fetch(`${live.url}live.js`).then((r) => r.status)).toBe(200);
    expect(await fetch(`${live.url}nothing`).then((r) => r.status)).toBe(404);

    const report = syntheticReport({ seed: 3 });
    live.attach(() => ({ ...report, workloadStartedAt: report.startedAt }));
    const [first] = await readEvents(`${live.url}events`, (e) => e.length >= 1);
    const update = JSON.parse(first.data);
    expect(update.stage).toBe('workload');
    expect(update.charts.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['workers', 'throughput', 'latency-read', 'latency-write', 'errors', 'latency-distribution']),
    );
    // The fault windows of the history are drawn as they are known.
    expect(update.charts.find((c: { id: string }) => c.id === 'workers').svg).toContain('class="fault-band"');

    let connected: () => void = () => undefined;
    const isConnected = new Promise<void>((resolve) => (connected = resolve));
    const ending = readEvents(`${live.url}events`, (e) => {
      if (e.length) connected();
      return e.some((x) => x.event === 'end');
    });
    await isConnected;
    await live.close('PASS: the run is over');
    const events = await ending;
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ line: 'PASS: the run is over' });
  } finally {
    await live.close().catch(() => undefined);
  }
});
