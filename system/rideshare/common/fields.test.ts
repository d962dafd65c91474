import { usernameSchema } from './fields';

describe('usernameSchema', () => {
  test.each(['alice', '𝕏'.repeat(128), 'é', '👩‍🚀'])('takes %j', (name) => {
    expect(usernameSchema.safeParse(name).success).toBe(true);
  });

  // Found by the fuzzer: joining a ride as "\ud800" made the rides service's encodeURIComponent throw (a 500).
  test.each([
    ['\ud800', /unpaired surrogates/],
    ['a\udc00b', /unpaired surrogates/],
    ['𝕏'.slice(0, 1), /unpaired surrogates/],
    ['a\u0000', /control characters/],
    ['𝕏'.repeat(129), /at most 128 characters/],
  ])('refuses %j', (name, message) => {
    const r = usernameSchema.safeParse(name);
    expect(r.success ? '' : r.error.issues.map((i) => i.message).join('; ')).toMatch(message);
  });
});
