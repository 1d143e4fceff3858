/** A periodic job; `run` must be safe when every instance runs it at once (workers.ts schedules it). */
export interface Worker {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}
