import { availableParallelism } from "node:os";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TaskJob, TaskKind, TaskResult } from "./tasks.js";

/**
 * Run jobs on `threads` worker processes (PDF layout and parsing are CPU-bound, so one per core), keeping the
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
  const owner = pool ?? new Pool();
  const workers = owner.grow(count);
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < jobs.length) {
          const index = next++;
          const result = await new Promise<TaskResult<K>>((resolve, reject) => {
            const settle = () => {
              worker.off("message", onMessage);
              worker.off("exit", onExit);
            };
            const onMessage = (message: { id: number; result?: TaskResult<K>; error?: string }) => {
              if (message.id !== index) return;
              settle();
              if (message.error !== undefined) reject(new Error(message.error));
              else resolve(message.result as TaskResult<K>);
            };
            function onExit(code: number | null, signal: NodeJS.Signals | null) {
              settle();
              reject(
                new Error(`A worker process stopped (${signal ?? `exit code ${code}`}) during job ${index}`),
              );
            }
            if (exited(worker)) return onExit(worker.exitCode, worker.signalCode);
            worker.on("message", onMessage);
            worker.once("exit", onExit);
            worker.send({ id: index, kind, job: jobs[index] }, (error) => {
              if (!error) return;
              settle();
              reject(error);
            });
          });
          results[index] = result;
          await onResult?.(index, result);
        }
      }),
    );
  } finally {
    if (!pool) await owner.close();
  }
  return results;
}

/**
 * How a worker process starts. Its heap limit is 2 GiB, the smallest at which V8 lets the heap grow fourfold over
 * what a full collection left before it collects again (`MaxGrowingFactor`: 1.3 to 2 below `kMaxSize`, 1,024 MB × 2
 * on 64-bit builds without pointer compression such as Node's, then 4). A job's live data is small (≈ 50 MB), so
 * below that V8 collects the whole heap every few bulletins: the 768 MB limit the workers had made it grow
 * 1.5-fold, ≈ 150 full collections at N = 1,000 and ≈ 20 % more processor time (alternated runs of `atrc publish`
 * at N = 1,000: 42.7–48.7 s with 768 MB, 36.0–40.4 s with 2,048 MB or none; 1,536 MB was as slow as 768 MB).
 */
const WORKER_ARGS = ["--max-old-space-size=2048"];

/**
 * Worker processes that can be started before their jobs are known: a worker takes the better part of a second to
 * load the parsers, renderers and fonts, which can overlap what the caller does meanwhile (reading the content).
 *
 * Processes, not worker threads: V8 keeps a finished thread's heap pages in the process for seconds after the thread
 * ended (≈ 460 MB of 256 KB pages at N = 1,000, still there 4 s after `terminate()`), and the publish ends with
 * Pagefind and the archive-wide files on top of them. A process gives everything back when it exits. Jobs and
 * results go through the IPC channel with V8's serialiser (`Uint8Array`s included), as they went to threads.
 *
 * @example
 * const pool = new Pool(); pool.grow(1); …; await runInPool("publish", jobs, 2, undefined, pool); await pool.close()
 */
export class Pool {
  private readonly workers: ChildProcess[] = [];

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
  grow(count: number): ChildProcess[] {
    while (this.workers.length < count)
      this.workers.push(
        fork(fileURLToPath(new URL("./worker.js", import.meta.url)), [], {
          execArgv: WORKER_ARGS,
          serialization: "advanced",
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        }),
      );
    return [...this.workers];
  }

  /**
   * Stop every worker and wait until it has exited (its memory is then the system's again). A worker still on a job
   * (another job failed) is stopped in the middle of it, as a thread was by `terminate()`: a bulletin's entry is
   * written aside and renamed into place, so a stopped job leaves no entry a later run would trust.
   */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (exited(worker)) return resolve();
            worker.once("exit", () => resolve());
            worker.kill();
          }),
      ),
    );
    this.workers.length = 0;
  }
}

/** Whether a worker process has ended (by itself, or by a signal). */
function exited(worker: ChildProcess): boolean {
  return worker.exitCode !== null || worker.signalCode !== null;
}
