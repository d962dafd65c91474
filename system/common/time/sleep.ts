/** Resolves after `ms`; the one timer-based pause the code shares (harness and services alike). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
