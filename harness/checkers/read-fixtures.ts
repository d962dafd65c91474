import type { Operation } from '../core/history';
import { encodeRanges } from '../core/ranges';

/*
 * Builders for the read checkers' tests: writes numbered by `seq` (their key is k<seq>), reads that saw given write
 * numbers. Each test then reads as the history it judges.
 */

type Part = Partial<Operation> & { at: number; ms?: number };

export function w(seq: number, lsn: number | undefined, at: number, extra: Partial<Part> = {}): Part {
  return { kind: 'write', key: `k${seq}`, writeSeq: seq, at, ms: 10, status: 201, ...(lsn === undefined ? {} : { lsn }), ...extra };
}

export function r(saw: number[], lsn: number, at: number, extra: Partial<Part> = {}): Part {
  return { kind: 'read', saw: encodeRanges(saw), lsn, at, ms: 10, status: 200, worker: 200, ...extra };
}

