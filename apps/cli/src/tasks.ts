/**
 * The units of work the worker pool runs: each takes plain data and gives plain data, so it runs the same in
 * the main thread and in a worker.
 */
import { publishJob } from "./publish-job.js";
import { renderJob } from "./pdf-render.js";

export const TASKS = { pdf: renderJob, publish: publishJob } as const;

/** A task's name. */
export type TaskKind = keyof typeof TASKS;
/** What a task takes. */
export type TaskJob<K extends TaskKind> = Parameters<(typeof TASKS)[K]>[0];
/** What a task gives. */
export type TaskResult<K extends TaskKind> = Awaited<ReturnType<(typeof TASKS)[K]>>;

/**
 * Run one task in this thread.
 *
 * @param kind Task name.
 * @param job Its input.
 * @returns Its output.
 */
export function runTask<K extends TaskKind>(kind: K, job: TaskJob<K>): Promise<TaskResult<K>> {
  const task = TASKS[kind] as (job: TaskJob<K>) => Promise<TaskResult<K>>;
  return task(job);
}
