import { z } from 'zod';
import { bodyObject, requiredString, usernameSchema } from '../../common/fields';

/** PUT /api/v1/users. The password is a SHA1 digest: exactly 40 hexadecimal characters. */
export const newUserBody = bodyObject({
  username: usernameSchema,
  password: requiredString().regex(/^[0-9a-fA-F]{40}$/, 'must be a SHA1 digest: exactly 40 hexadecimal characters'),
});

/** DELETE /api/v1/users/{username} */
export const userParams = z.object({ username: usernameSchema });

/** GET /api/v1/users[?username=]: the list, or the one name asked for when that user exists. */
export const usersQuery = z.object({ username: usernameSchema.optional() });
