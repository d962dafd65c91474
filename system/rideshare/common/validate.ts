import type { z } from 'zod';
import { ValidationError } from '../../common/errors/errors';
import { describeIssues } from '../../common/protocol/requests';

/** Validates one input at the HTTP edge; a bad one becomes a 400 saying what was wrong with `what`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
