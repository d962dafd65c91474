import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TABLES, TABLE_NAMES, type ColumnDef, type TableName } from './tables';

/*
 * Structured database requests: the only shape in which a read or a write crosses a process boundary. There is no
 * field that could carry SQL text; every column name is checked against the schema and every value is later bound
 * as a parameter. The same schemas validate at the orchestrator's HTTP edge and again in the worker that consumes
 * the queue message, so a message placed on a queue by anyone else meets the same rules.
 */

export const MAX_LIMIT = 10_000;
export const MAX_IN_VALUES = 1_000;
export const MAX_STRING = 10_000;

const scalar = z.union([z.string().max(MAX_STRING), z.number().finite(), z.null()]);
export type Scalar = z.infer<typeof scalar>;

const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
export type Comparison = (typeof COMPARISONS)[number];

const condition = z.union([
  scalar,
  z
    .object({
      eq: scalar.optional(),
      ne: scalar.optional(),
      gt: scalar.optional(),
      gte: scalar.optional(),
      lt: scalar.optional(),
      lte: scalar.optional(),
      in: z.array(scalar).max(MAX_IN_VALUES).optional(),
    })
    .strict()
    .refine((o) => Object.keys(o).length > 0, 'an operator object needs at least one of eq, ne, gt, gte, lt, lte, in'),
]);
export type Condition = z.infer<typeof condition>;

const whereSchema = z.record(z.string(), condition, {
  error: 'where must be an object of column -> value or {operator: value}; SQL text is never accepted',
});
export type Where = z.infer<typeof whereSchema>;

const valuesSchema = z.record(z.string(), scalar, {
  error: 'values must be an object of column -> string, number or null',
});
export type Values = z.infer<typeof valuesSchema>;

const tableSchema = z.enum(TABLE_NAMES, { error: `table must be one of ${TABLE_NAMES.join(', ')}` });
const lsnSchema = z.number().int().min(0);
export const writeIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'writeId may hold letters, digits and _ . : - only');

type Ctx = z.RefinementCtx;

/**
 * A string's length in characters (Unicode code points), as zod's own `.max` counts them (MAX_STRING here, and the
 * RideShare services' fields): counted in UTF-16 units, a name of astral characters the services accept was refused.
 */
function characters(value: string): number {
  return [...value].length;
}

function checkValueType(table: TableName, column: string, def: ColumnDef, value: Scalar, path: PropertyKey[], ctx: Ctx) {
  if (value === null) {
    if (!def.nullable) ctx.addIssue({ code: 'custom', path, message: `${table}.${column} may not be null` });
    return;
  }
  if (def.type === 'integer' && !(typeof value === 'number' && Number.isSafeInteger(value))) {
    ctx.addIssue({ code: 'custom', path, message: `${table}.${column} takes an integer, got ${JSON.stringify(value)}` });
  }
  if (def.type === 'string') {
    if (typeof value !== 'string') {
      ctx.addIssue({ code: 'custom', path, message: `${table}.${column} takes a string, got ${JSON.stringify(value)}` });
    } else if (def.maxLength !== undefined && value.length > def.maxLength && characters(value) > def.maxLength) {
      ctx.addIssue({ code: 'custom', path, message: `${table}.${column} is at most ${def.maxLength} characters` });
    }
  }
}

function columnDef(table: TableName, column: string, path: PropertyKey[], ctx: Ctx): ColumnDef | undefined {
  const def = Object.hasOwn(TABLES[table].columns, column) ? TABLES[table].columns[column] : undefined;
  if (!def) {
    const known = Object.keys(TABLES[table].columns).join(', ');
    ctx.addIssue({ code: 'custom', path, message: `unknown column '${column}' in table '${table}' (known: ${known})` });
  }
  return def;
}

function checkWhere(table: TableName, where: Where, ctx: Ctx) {
  for (const [column, cond] of Object.entries(where)) {
    const path = ['where', column];
    const def = columnDef(table, column, path, ctx);
    if (!def) continue;
    if (cond !== null && typeof cond === 'object') {
      for (const [op, v] of Object.entries(cond)) {
        if (op === 'in') for (const [i, item] of (v as Scalar[]).entries()) checkValueType(table, column, def, item, [...path, 'in', i], ctx);
        else checkValueType(table, column, def, v as Scalar, [...path, op], ctx);
      }
    } else {
      checkValueType(table, column, def, cond as Scalar, path, ctx);
    }
  }
}

function checkValues(table: TableName, values: Values, ctx: Ctx, requireAll: boolean) {
  for (const [column, value] of Object.entries(values)) {
    const def = columnDef(table, column, ['values', column], ctx);
    if (def) checkValueType(table, column, def, value, ['values', column], ctx);
  }
  if (requireAll) {
    for (const [column, def] of Object.entries(TABLES[table].columns)) {
      if (!def.autoIncrement && !def.nullable && !(column in values)) {
        ctx.addIssue({ code: 'custom', path: ['values', column], message: `${table}.${column} is required` });
      }
    }
  }
}

export const readRequestSchema = z
  .object({
    table: tableSchema,
    columns: z.array(z.string()).min(1).max(64).optional(),
    where: whereSchema.optional(),
    orderBy: z
      .array(z.object({ column: z.string(), direction: z.enum(['asc', 'desc']).default('asc') }).strict())
      .max(8)
      .optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
    /** Answers one row {count: n}, the number of rows matching `where`, instead of the rows. */
    count: z.literal(true, { error: 'count may only be true' }).optional(),
    minLsn: lsnSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.count && (r.columns || r.orderBy || r.limit !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'count takes only where (no columns, orderBy or limit)' });
    }
    for (const [i, c] of (r.columns ?? []).entries()) columnDef(r.table, c, ['columns', i], ctx);
    for (const [i, o] of (r.orderBy ?? []).entries()) columnDef(r.table, o.column, ['orderBy', i, 'column'], ctx);
    if (r.where) checkWhere(r.table, r.where, ctx);
  });
export type ReadRequest = z.infer<typeof readRequestSchema>;

const nonEmpty = (what: string) => (o: Record<string, unknown>) => Object.keys(o).length > 0 || `${what} may not be empty`;

export const writeRequestSchema = z
  .discriminatedUnion(
    'op',
    [
      z.object({ op: z.literal('insert'), table: tableSchema, values: valuesSchema, writeId: writeIdSchema.optional() }).strict(),
      z
        .object({
          op: z.literal('update'),
          table: tableSchema,
          values: valuesSchema,
          where: whereSchema,
          writeId: writeIdSchema.optional(),
        })
        .strict(),
      z.object({ op: z.literal('delete'), table: tableSchema, where: whereSchema, writeId: writeIdSchema.optional() }).strict(),
    ],
    { error: 'op must be one of insert, update, delete' },
  )
  .superRefine((w, ctx) => {
    if (w.op === 'insert') checkValues(w.table, w.values, ctx, true);
    if (w.op === 'update') {
      const empty = nonEmpty('values')(w.values);
      if (empty !== true) ctx.addIssue({ code: 'custom', path: ['values'], message: empty });
      checkValues(w.table, w.values, ctx, false);
    }
    if (w.op === 'update' || w.op === 'delete') {
      // A write without a condition would touch every row; db/clear is the explicit way to do that.
      const empty = nonEmpty('where')(w.where);
      if (empty !== true) ctx.addIssue({ code: 'custom', path: ['where'], message: `${empty} (use db/clear to empty the database)` });
      checkWhere(w.table, w.where, ctx);
    }
  });
export type WriteRequest = z.infer<typeof writeRequestSchema>;

/** The writes the master can apply: the client's requests plus the orchestrator's own clear. */
export type WriteOp = WriteRequest | { op: 'clear' };

/** Turns a zod error into one line that says what was wrong and where. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length > 0 ? i.path.map(String).join('.') : '(body)';
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

/** JSON with every object's keys sorted: the same request gives the same text, whatever order its keys came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What a writeId stands for: a hash of the write as requested (before the master assigns keys). Stored with the
 * write's outcome, so that a writeId reused for a different write is told apart from a retry of the same one.
 */
export function requestHash(request: WriteOp): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex').slice(0, 32);
}
