import { ERROR_CODES, statusForCode } from '../errors/errors';
import { replySchema } from './messages';

// The reply schema takes its codes from errors.ts: a code added there travels over the queue without a second edit.
describe('error replies', () => {
  test.each(ERROR_CODES)('carry code %s', (code) => {
    expect(replySchema.safeParse({ ok: false, worker: 1, error: { code, message: 'm' } }).success).toBe(true);
    expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
  });

  test('refuse a code errors.ts does not declare', () => {
    expect(replySchema.safeParse({ ok: false, worker: 1, error: { code: 'teapot', message: 'm' } }).success).toBe(false);
  });
});
