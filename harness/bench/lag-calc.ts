/** A write as its client saw it: its LSN and when its acknowledgement arrived. */
export interface Ack {
  lsn: number;
  ackAt: number;
}

/** A replica's applied LSN as one poll saw it, at the time its answer arrived. */
export interface Observation {
  at: number;
  lsn: number;
}

/** Index of the first observation whose LSN reaches `lsn`, or -1 (observations in time order, LSNs never falling). */
function firstReaching(obs: Observation[], lsn: number): number {
  let lo = 0;
  let hi = obs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (obs[mid].lsn >= lsn) hi = mid;
    else lo = mid + 1;
  }
  return lo < obs.length ? lo : -1;
}

/*
 * For each acknowledged write, the time from its acknowledgement to the moment it was visible on every replica: the
 * latest, over replicas, of the first poll answer showing an applied LSN at or above the write's. A replica may apply a
 * write before its acknowledgement reaches the client; that counts as 0. NaN when some replica never showed it.
 */
export function visibilityLags(acks: Ack[], replicas: Observation[][]): number[] {
  return acks.map((a) => {
    let latest = -Infinity;
    for (const obs of replicas) {
      const i = firstReaching(obs, a.lsn);
      if (i < 0) return NaN;
      latest = Math.max(latest, obs[i].at);
    }
    return Math.max(0, latest - a.ackAt);
  });
}
