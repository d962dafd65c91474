import { defineFault } from '../fault';
import { crashWithApi } from '../hits';

/** SIGKILL of a slave through the crash API; the orchestrator starts a replacement that catches up from syncQ. */
export const killSlave = defineFault({
  kind: 'kill-slave',
  order: 2,
  title: 'kill slave',
  hits: 'slave',
  inject: (ctx) => crashWithApi(ctx, 'slave'),
});
