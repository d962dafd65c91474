/*
 * The keys the mixed workload writes: `<run prefix>-<client>-<write number>`, the number counting every write of the
 * run from 0 in the order issued. A read maps the keys in its rows back to write numbers, so that the history can say
 * compactly which writes it saw (see core/ranges.ts); keys of other runs or other tools map to nothing.
 */
export class WriteKeys {
  private next = 0;

  constructor(readonly prefix: string) {}

  /** The next write's number and key. */
  take(client: number): { seq: number; key: string } {
    const seq = this.next++;
    return { seq, key: `${this.prefix}-${client}-${seq}` };
  }

  /** How many write numbers were taken so far: the next write's number. */
  get issued(): number {
    return this.next;
  }

  /** The write number of a key of this run, or undefined for anything else. */
  seqOf(key: unknown): number | undefined {
    if (typeof key !== 'string' || !key.startsWith(`${this.prefix}-`)) return undefined;
    const m = /^\d+-(\d+)$/.exec(key.slice(this.prefix.length + 1));
    return m ? Number(m[1]) : undefined;
  }
}
