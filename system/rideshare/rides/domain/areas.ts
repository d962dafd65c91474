import fs from 'node:fs';
import path from 'node:path';

/*
 * The areas a ride may start from and go to: the numbered list of AreaNameEnum.csv (header "Area No,Area Name"),
 * which the project carries in system/rideshare/data/. Areas are named by number in the API.
 */

export const AREAS_FILE = path.resolve(__dirname, '../../data/AreaNameEnum.csv');

export class Areas {
  constructor(private readonly byNumber: ReadonlyMap<number, string>) {}

  get size(): number {
    return this.byNumber.size;
  }

  has(area: number): boolean {
    return this.byNumber.has(area);
  }

  name(area: number): string | undefined {
    return this.byNumber.get(area);
  }

  /** e.g. "1 to 198", for error messages. */
  describe(): string {
    const numbers = [...this.byNumber.keys()].sort((a, b) => a - b);
    const contiguous = numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
    return contiguous ? `${numbers[0]} to ${numbers[numbers.length - 1]}` : numbers.join(', ');
  }
}

/** Parses the CSV text; throws with the line number on anything unexpected, so that a broken file stops the start. */
export function parseAreasCsv(text: string, source = 'areas CSV'): Areas {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== 'Area No,Area Name') throw new Error(`${source}: line 1 must be the header "Area No,Area Name"`);
  const byNumber = new Map<number, string>();
  for (const [i, raw] of lines.slice(1).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\d+),(.+)$/.exec(line);
    const where = `${source}: line ${i + 2}`;
    if (!m) throw new Error(`${where}: expected "<number>,<name>", got ${JSON.stringify(line)}`);
    const n = Number(m[1]);
    if (n < 1 || !Number.isSafeInteger(n)) throw new Error(`${where}: area number ${m[1]} is not a positive integer`);
    if (byNumber.has(n)) throw new Error(`${where}: area ${n} appears twice`);
    byNumber.set(n, m[2].trim());
  }
  if (byNumber.size === 0) throw new Error(`${source}: no areas`);
  return new Areas(byNumber);
}

export function loadAreas(file: string = AREAS_FILE): Areas {
  return parseAreasCsv(fs.readFileSync(file, 'utf8'), file);
}

/** An area as a client may give it: an integer or a string of digits. Undefined when it is neither. */
export function areaNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}
