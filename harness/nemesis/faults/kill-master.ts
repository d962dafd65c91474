import { defineFault } from '../fault';
import { crashWithApi } from '../hits';

/** SIGKILL of the master through the crash API; the system elects the live worker with the lowest PID. */
export const killMaster = defineFault({
  kind: 'kill-master',
  order: 1,
  title: 'kill master',
  hits: 'master',
  inject: (ctx) => crashWithApi(ctx, 'master'),
});
