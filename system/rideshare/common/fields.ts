import { z } from 'zod';

/*
 * Input fields that more than one RideShare service validates. Messages name what is wrong; the field's name comes
 * from its path in the error (e.g. "username: is required").
 */

/** A required string field: a message for absent, for not a string. */
export function requiredString() {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') });
}

/**
 * A user name as stored in users.username: 1 to 128 characters, no control characters, and valid Unicode: an unpaired
 * surrogate (JSON allows "\ud800") cannot be stored as given (UTF-8 has no such character) nor put in a URL (the rides
 * service asks the users service for the name; encodeURIComponent threw, a 500).
 */
export const usernameSchema = requiredString()
  .min(1, 'may not be empty')
  .max(128, 'is at most 128 characters')
  .regex(/^[^\p{Cc}]+$/u, 'may not contain control characters')
  .regex(/^[^\p{Cs}]*$/u, 'may not contain unpaired surrogates (not valid Unicode)');

/** A JSON object body; anything else (an array, a string, no body) is refused as such. */
export function bodyObject<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { error: 'the body must be a JSON object' });
}
