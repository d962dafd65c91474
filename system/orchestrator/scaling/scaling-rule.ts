/**
 * The assignment's rule: 0-20 reads in an interval -> 1 slave, 21-40 -> 2, 41-60 -> 3, and so on, within [1, max].
 */
export function wantedSlaves(readsInInterval: number, readsPerSlave: number, maxSlaves: number): number {
  return Math.min(maxSlaves, Math.max(1, Math.ceil(readsInInterval / readsPerSlave)));
}
