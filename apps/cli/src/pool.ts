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
  pool?: Pool,
): Promise<TaskResult<K>[]> {
  const results = new Array<TaskResult<K>>(jobs.length);
  const count = Math.max(1, Math.min(threads, jobs.length));
  if (count === 1 && !pool?.started) {
    // The tasks' code (parsers, PDF renderer, fonts) loads only where jobs run: here, or in each worker.
    const { runTask } = await import("./tasks.js");
    for (const [index, job] of jobs.entries()) {
      results[index] = await runTask(kind, job);
      await onResult?.(index, results[index]);
    }
    return results;
  }
  let next = 0;
  const own = pool === undefined;
  const workers = (pool ?? new Pool()).grow(count);
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
    if (own) await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/**
 * A worker's heap limit. Without one, V8 lets each worker's heap grow towards the process's default limit, and the
 * pages it took stay with the process after the worker ends (V8 pools them for a few seconds): at 1,000 bulletins
 * the publish process held 1.25 GB, then Pagefind's 220 MB came on top (the bench's peak went over 1.5 GiB). Capped,
 * V8 collects sooner: 0.9 GB for the same run, ≈ 2 % slower (medians of alternated runs). A job's live data is a
 * small part of it: the same run completes, slowly, at 160 MB.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 768 };

/**
 * Worker threads that can be started before their jobs are known: a worker takes the better part of a second to
 * load the parsers, renderers and fonts, which can overlap what the caller does meanwhile (reading the content).
 *
 * @example
 * const pool = new Pool(); pool.grow(1); …; await runInPool("publish", jobs, 2, undefined, pool); await pool.close()
 */
export class Pool {
  private readonly workers: Worker[] = [];

  /** Whether a worker has been started. */
  get started(): boolean {
    return this.workers.length > 0;
  }

  /**
   * Start workers until there are `count`.
   *
   * @param count Workers wanted.
   * @returns Every worker (at least `count`).
   */
  grow(count: number): Worker[] {
    while (this.workers.length < count)
      this.workers.push(
        new Worker(new URL("./worker.js", import.meta.url), { resourceLimits: WORKER_LIMITS }),
      );
    return [...this.workers];
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
