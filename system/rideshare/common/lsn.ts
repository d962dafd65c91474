/*
 * Read-your-writes across the RideShare services. Every service remembers the highest LSN the DBaaS has shown it and
 * passes it as minLsn on its reads. Services also tell their callers that LSN (response header X-DBaaS-LSN) and accept
 * one from them (request header X-DBaaS-Min-LSN): the gateway carries it from one service to the other, so that a
 * user deleted through the users service is gone from the rides service's next answer too.
 */

export const LSN_HEADER = 'x-dbaas-lsn';
export const MIN_LSN_HEADER = 'x-dbaas-min-lsn';

export class LsnTracker {
  private value = 0;

  get highest(): number {
    return this.value;
  }

  /** Takes note of an LSN seen in an answer; the tracker only moves forward. */
  observe(lsn: number | undefined): void {
    if (lsn !== undefined && Number.isSafeInteger(lsn) && lsn > this.value) this.value = lsn;
  }
}

/** An LSN header's value, or undefined when absent; throws on anything but a non-negative integer. */
export function parseLsnHeader(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0] : value;
  if (!/^\d{1,15}$/.test(text ?? '')) throw new RangeError(`expected a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}
