/*
 * Shutting down a process or a component is a list of steps (close the HTTP server, stop the workers, close the
 * broker connection, ...). Every step runs even when an earlier one fails, so one stuck part never leaves the others
 * open; the failures are reported together at the end.
 */

export interface StopStep {
  name: string;
  run: () => Promise<void> | void;
}

export class StopError extends AggregateError {
  constructor(readonly failures: Array<{ step: string; error: unknown }>) {
    super(
      failures.map((f) => f.error),
      `stop failed at: ${failures.map((f) => `${f.step} (${(f.error as Error)?.message ?? String(f.error)})`).join('; ')}`,
    );
    this.name = 'StopError';
  }
}

/** Runs every step in order; throws one StopError naming each step that failed. */
export async function runStopSteps(steps: StopStep[]): Promise<void> {
  const failures: Array<{ step: string; error: unknown }> = [];
  for (const step of steps) {
    try {
      await step.run();
    } catch (error) {
      failures.push({ step: step.name, error });
    }
  }
  if (failures.length > 0) throw new StopError(failures);
}

/**
 * Makes a stop function idempotent: every call after the first returns the first call's promise, so a second
 * `stop()` resolves only once the first has finished.
 */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= stop());
}
