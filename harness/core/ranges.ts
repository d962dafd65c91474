/*
 * Sets of small non-negative integers written as sorted ranges, "0-41,43,45-47": how a read records which writes it
 * saw. The history stays readable in report.json and grows with the gaps in what a read saw, not with the writes.
 */

export function encodeRanges(numbers: Iterable<number>): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function decodeRanges(text: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`not a range list: "${text}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let n = from; n <= to; n++) out.add(n);
  }
  return out;
}
