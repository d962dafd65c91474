import { z } from 'zod';
import { bodyObject, requiredString, usernameSchema } from '../../common/fields';
import { areaNumber, type Areas } from '../domain/areas';
import { parseRideTimestamp } from '../domain/timestamp';

/*
 * The rides API's inputs. Areas are checked against the area list, timestamps against the calendar, here at the
 * edge; the domain gets numbers and epoch milliseconds.
 */
export function rideSchemas(areas: Areas) {
  const area = z.unknown().transform((value, ctx) => {
    if (value === undefined || value === '') {
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    const n = areaNumber(value);
    if (n === undefined || !areas.has(n)) {
      ctx.addIssue({ code: 'custom', message: `unknown area ${JSON.stringify(value)} (areas are numbered ${areas.describe()})` });
      return z.NEVER;
    }
    return n;
  });

  const timestamp = requiredString().transform((text, ctx) => {
    const parsed = parseRideTimestamp(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return { text, epochMs: parsed.epochMs };
  });

  const differentAreas = (r: { source: number; destination: number }, ctx: z.RefinementCtx) => {
    if (r.source === r.destination) ctx.addIssue({ code: 'custom', path: ['destination'], message: `must differ from source (both are ${r.source})` });
  };

  return {
    /** POST /api/v1/rides */
    newRide: bodyObject({ created_by: usernameSchema, timestamp, source: area, destination: area }).superRefine(differentAreas),
    /** GET /api/v1/rides?source=&destination= */
    search: z.object({ source: area, destination: area }),
    /** /api/v1/rides/{rideId} */
    rideParams: z.object({
      rideId: requiredString()
        .regex(/^[1-9]\d{0,14}$/, 'must be a positive integer')
        .transform(Number),
    }),
    /** POST /api/v1/rides/{rideId} */
    join: bodyObject({ username: usernameSchema }),
  };
}

export type RideSchemas = ReturnType<typeof rideSchemas>;
