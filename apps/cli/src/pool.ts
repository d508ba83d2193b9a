import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { TaskJob, TaskKind, TaskResult } from "./tasks.js";

/**
 * Run jobs on `threads` worker threads (PDF layout and parsing are CPU-bound, so one per core), keeping the
 * results in job order so the output does not depend on scheduling. One thread runs them in-process.
 *
 * @param kind Which task (see `TASKS`).
 * @param jobs Its inputs.
 * @param threads Worker count (default: the machine's available parallelism).
 * @param onResult Called as each job completes, e.g. to store it in a cache.
 * @returns The result of each job, in job order.
 * @example
 * const pdfs = await runInPool("pdf", jobs, 2)
 */
export async function runInPool<K extends TaskKind>(
  kind: K,
  jobs: readonly TaskJob<K>[],
  threads = availableParallelism(),
  onResult?: (index: number, result: TaskResult<K>) => Promise<void> | void,
): Promise<TaskResult<K>[]> {
  const results = new Array<TaskResult<K>>(jobs.length);
  const count = Math.max(1, Math.min(threads, jobs.length));
  if (count === 1) {
    // The tasks' code (parsers, PDF renderer, fonts) loads only where jobs run: here, or in each worker.
    const { runTask } = await import("./tasks.js");
    for (const [index, job] of jobs.entries()) {
      results[index] = await runTask(kind, job);
      await onResult?.(index, results[index]);
    }
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: count }, () => new Worker(new URL("./worker.js", import.meta.url)));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < jobs.length) {
          const index = next++;
          const result = await new Promise<TaskResult<K>>((resolve, reject) => {
            const onMessage = (message: { id: number; result?: TaskResult<K>; error?: string }) => {
              if (message.id !== index) return;
              worker.off("message", onMessage);
              worker.off("error", reject);
              if (message.error !== undefined) reject(new Error(message.error));
              else resolve(message.result as TaskResult<K>);
            };
            worker.on("message", onMessage);
            worker.once("error", reject);
            worker.postMessage({ id: index, kind, job: jobs[index] });
          });
          results[index] = result;
          await onResult?.(index, result);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
