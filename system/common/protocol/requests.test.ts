import { readRequestSchema, requestHash, writeRequestSchema, describeIssues } from './requests';

const messageOf = (r: { success: boolean; error?: unknown }) => (r.success ? '' : describeIssues(r.error as never));

describe('read requests', () => {
  test('accept a structured query', () => {
    const r = readRequestSchema.safeParse({
      table: 'rides',
      columns: ['ride_id', 'created_by'],
      where: { source: 1, starts_at: { gt: 5 }, created_by: { in: ['a', 'b'] } },
      orderBy: [{ column: 'starts_at', direction: 'desc' }],
      limit: 10,
      minLsn: 3,
    });
    expect(r.success).toBe(true);
  });

  test.each([
    [{ table: 'users', where: '1=1' }, /where must be an object/],
    [{ table: 'users', where: { nope: 1 } }, /unknown column 'nope' in table 'users'/],
    [{ table: 'secrets' }, /table must be one of/],
    [{ table: 'users', columns: ['*'] }, /unknown column '\*'/],
    [{ table: 'rides', where: { ride_id: '1 OR 1=1' } }, /rides.ride_id takes an integer/],
    [{ table: 'rides', where: { ride_id: { like: '%' } } }, /Unrecognized key/],
    [{ table: 'users', where: { username: { eq: { a: 1 } } } }, /where.username/],
    [{ table: 'users', limit: 0 }, /limit/],
    [{ table: 'users', raw: 'SELECT 1' }, /Unrecognized key/],
  ])('refuse %j', (body, message) => {
    const r = readRequestSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(messageOf(r)).toMatch(message);
  });
});

describe('write requests', () => {
  test('insert needs every required column and nothing else', () => {
    expect(writeRequestSchema.safeParse({ op: 'insert', table: 'users', values: { username: 'a', password: 'b' } }).success).toBe(true);
    const missing = writeRequestSchema.safeParse({ op: 'insert', table: 'users', values: { username: 'a' } });
    expect(messageOf(missing)).toMatch(/users.password is required/);
  });

  test('the auto-increment key may be left out', () => {
    const ride = { created_by: 'a', timestamp: '01-01-2030:00-00-10', starts_at: 1, source: 1, destination: 2 };
    expect(writeRequestSchema.safeParse({ op: 'insert', table: 'rides', values: ride }).success).toBe(true);
  });

  test.each([
    [{ op: 'delete', table: 'users', where: {} }, /where may not be empty/],
    [{ op: 'update', table: 'users', values: {}, where: { username: 'a' } }, /values may not be empty/],
    [{ op: 'drop', table: 'users' }, /op must be one of insert, update, delete/],
    [{ op: 'delete', table: 'users', where: 'username = username' }, /where must be an object/],
    [{ op: 'insert', table: 'users', values: { username: 'a', password: 'b' }, writeId: "x'; --" }, /writeId may hold/],
    [{ op: 'insert', table: 'users', values: { username: 'x'.repeat(129), password: 'b' } }, /at most 128 characters/],
  ])('refuse %j', (body, message) => {
    expect(messageOf(writeRequestSchema.safeParse(body))).toMatch(message);
  });
});

test('a column length counts characters (code points), as the RideShare services and zod do, not UTF-16 units', () => {
  // Found by the fuzzer: a user name of 100 '𝕏' (200 UTF-16 units) passed the users service and was refused here: a 500.
  const astral = '𝕏'.repeat(128);
  expect(writeRequestSchema.safeParse({ op: 'insert', table: 'users', values: { username: astral, password: 'b' } }).success).toBe(true);
  expect(readRequestSchema.safeParse({ table: 'users', where: { username: '𝕏'.repeat(100) } }).success).toBe(true);
  expect(messageOf(writeRequestSchema.safeParse({ op: 'insert', table: 'users', values: { username: `${astral}𝕏`, password: 'b' } }))).toMatch(/at most 128 characters/);
});

describe('request hashes (what a writeId stands for)', () => {
  test('the same write hashes the same, whatever the order of its keys', () => {
    const a = requestHash({ op: 'update', table: 'users', values: { password: 'p' }, where: { username: 'a' } });
    const b = requestHash({ where: { username: 'a' }, values: { password: 'p' }, table: 'users', op: 'update' } as never);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  test('a different write hashes differently', () => {
    const base = { op: 'insert', table: 'users', values: { username: 'a', password: 'p' } } as const;
    expect(requestHash(base)).not.toBe(requestHash({ ...base, values: { username: 'a', password: 'q' } }));
    expect(requestHash(base)).not.toBe(requestHash({ ...base, table: 'rides' } as never));
    expect(requestHash({ op: 'clear' })).not.toBe(requestHash(base));
  });
});

test('count takes only where', () => {
  expect(readRequestSchema.safeParse({ table: 'rides', count: true, where: { source: 1 } }).success).toBe(true);
  expect(messageOf(readRequestSchema.safeParse({ table: 'rides', count: true, limit: 3 }))).toMatch(/count takes only where/);
  expect(messageOf(readRequestSchema.safeParse({ table: 'rides', count: false }))).toMatch(/count/);
});
