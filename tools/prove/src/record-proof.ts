import type { TaskMeta } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** What a proof test measured, one line each; `npm run prove` prints them. */
    proof?: string[];
  }
}

/**
 * Records a line of what a test measured (`task.meta.proof`, which vitest's JSON report carries
 * to `npm run prove`). Write numbers the test observed, e.g. `1 order for 100 concurrent calls`.
 */
export function recordProof(context: { task: { meta: TaskMeta } }, line: string): void {
  context.task.meta.proof ??= [];
  context.task.meta.proof.push(line);
}
