/*
 * Typed errors shared by the parts. Each carries the HTTP status it maps to, so that the central error handler of
 * every HTTP service answers the same way and a worker can send the same classification back over the queue.
 */

/** Every error code with its HTTP status: the one list of codes (the queue protocol's schema takes its enum from here). */
const statusOf = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  timeout: 504,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof statusOf;

/** The codes as a non-empty tuple, the shape `z.enum` takes. */
export const ERROR_CODES = Object.keys(statusOf) as [ErrorCode, ...ErrorCode[]];

/** Codes of failures that may pass by themselves (a broker back, a master elected), so the same request may succeed. */
const transient: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['timeout', 'unavailable']);

export class DbaasError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Whether trying again can help (read by `retry`); a write is only safe to retry with its writeId. */
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = statusOf[code];
    this.retryable = transient.has(code);
  }
}

export class ValidationError extends DbaasError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

export class ConflictError extends DbaasError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class NotFoundError extends DbaasError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class TimeoutError extends DbaasError {
  constructor(message: string) {
    super('timeout', message);
  }
}

export class UnavailableError extends DbaasError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/**
 * A process cannot start for a reason its user can fix (the message says how); printed as one line, without a stack.
 * Retrying without a change does not help.
 */
export class StartupError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Raised at start when the environment does not describe a valid configuration. */
export class ConfigError extends StartupError {}

/** Raised when RabbitMQ, ZooKeeper or the Docker engine can neither be found nor started. */
export class ServiceSetupError extends StartupError {}

/** Raised when a port this process must listen on is taken or not allowed. */
export class PortUnavailableError extends StartupError {}

export function errorFromCode(code: ErrorCode, message: string): DbaasError {
  return new DbaasError(code, message);
}

export function statusForCode(code: ErrorCode): number {
  return statusOf[code];
}
