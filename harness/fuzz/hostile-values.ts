import fc from 'fast-check';

/*
 * Hostile values, the raw material of every generator: wrong types, huge and odd numbers, long, unicode and injection
 * strings, deep nesting. Sizes stay bounded, so that a run of thousands of requests fits in memory and time.
 */

export const INJECTIONS = [
  "' OR '1'='1",
  '1 OR 1=1',
  '1; DROP TABLE users; --',
  "alice'--",
  '" OR ""="',
  'users WHERE 1=1',
  '*/ SELECT * FROM sqlite_master /*',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '${process.exit(1)}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  ' 1',
  '1 ',
  '01',
  '+1',
];

export const hugeNumbers = fc.constantFrom(
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  -1,
  -0,
  0.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 64,
);

export const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), hugeNumbers);

/** Strings of every kind; `long` ones reach tens of kilobytes (around MAX_STRING and BODY_LIMIT). */
export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(9_999, 10_000, 10_001, 60_000).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\u202e', '\ufeff', 'ǅ', '𝕏'.repeat(100), 'é'.repeat(5000)) },
);

/** JSON nested `depth` times: arrays, objects, or both. */
export function nested(depth: number, kind: 'array' | 'object' | 'mixed'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' || (kind === 'mixed' && i % 2 === 0) ? [v] : { a: v };
  return v;
}

export const deepValue = fc
  .tuple(fc.constantFrom(10, 100, 1_000), fc.constantFrom<'array' | 'object' | 'mixed'>('array', 'object', 'mixed'))
  .map(([depth, kind]) => nested(depth, kind));

/** Any JSON value, small ones mostly, some deep. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(anyString, anyNumber, fc.boolean(), fc.constant(null)) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(anyString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) },
);

/** Text that is not JSON, or JSON broken in the usual ways. */
export const badJsonText = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"table":',
    '{"table":"users",}',
    "{'table':'users'}",
    '{"table":"users"}}',
    'NaN',
    'undefined',
    '{"a":1e999999}',
    '\u0000',
    '\ufeff{}',
    '[1,2,',
    '{"__proto__":{"polluted":1},"table":"users"}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    'null',
    'true',
    '"users"',
    '12345678901234567890123456789',
    '{"table":"users","table":"rides"}',
    'SELECT * FROM users',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(10_000, 100_000).map((n) => '['.repeat(n)),
  fc.constantFrom(10_000, 100_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.constantFrom(10_000, 50_000).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

/** A body of about `bytes` bytes, over BODY_LIMIT (100kb by default) for most sizes. */
export const hugeBody = fc
  .constantFrom(90_000, 102_400, 102_401, 200_000, 1_000_000)
  .map((bytes) => JSON.stringify({ table: 'users', where: { username: 'y'.repeat(bytes) } }));

/** Header values Node will send (visible ASCII and spaces, some latin-1), odd ones mostly. */
export const headerValue = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 }) },
  { weight: 5, arbitrary: fc.constantFrom('-1', '0', '1', '1.5', '1e3', '0x1f', ' 7', '99999999999999999999', '9007199254740993', '007', '', 'NaN', 'null', '[1]', '1,2') },
  // Around Node's 16 KB header limit (431 beyond it).
  { weight: 1, arbitrary: fc.constantFrom(4_000, 16_000).map((n) => '9'.repeat(n)) },
);
