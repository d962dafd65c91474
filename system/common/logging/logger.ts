import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr, one logger per process, tagged with the part that writes them. */
export function createLogger(component: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { pid: process.pid } }, pino.destination(2));
}
