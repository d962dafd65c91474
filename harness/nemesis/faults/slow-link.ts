import { readySlaves } from '../../testing/topology';
import { defineFault } from '../fault';
import { pickAtRandom } from '../hits';
import { allOf, linksOf, SLOW_FOR_MS, SLOW_LINK_MS } from '../link-cuts';

/** Latency on every link of a ready slave (each way), for a few seconds: reads slow down, nothing is lost, the slave
 * and the master stay. The note says how many bytes were delayed. */
export const slowLink = defineFault({
  kind: 'slow-link',
  order: 27,
  title: `slow a slave's links (+${SLOW_LINK_MS} ms each way)`,
  hits: 'slave',
  needsLinks: true,
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, readySlaves(before), 'slave');
    const links = allOf(linksOf(ctx).worker(victim.pid));
    const at = links.map((l) => l.stats().forwarded);
    for (const l of links) l.slow(SLOW_LINK_MS);
    await new Promise((r) => setTimeout(r, SLOW_FOR_MS));
    const bytes = links.map((l, i) => l.stats().forwarded.up + l.stats().forwarded.down - at[i].up - at[i].down).reduce((a, b) => a + b, 0);
    for (const l of links) l.pass();
    return { target: String(victim.pid), hitPids: [], inEffect: bytes > 0, note: `slave; ${bytes} B delayed by ${SLOW_LINK_MS} ms each way over ${SLOW_FOR_MS} ms` };
  },
});
