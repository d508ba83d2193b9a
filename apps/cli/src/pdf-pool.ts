import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { renderJob, type PdfJob, type RenderedPdf } from "./pdf-render.js";

/**
 * Render jobs on `threads` worker threads (PDF layout is CPU-bound, so one per core), keeping the
 * results in job order so the output does not depend on scheduling. One thread renders in-process.
 *
 * @param jobs Bulletins to render.
 * @param threads Worker count (default: the machine's available parallelism).
 * @param onResult Called as each job completes, e.g. to store it in the cache.
 * @returns The PDFs of each job, in job order.
 * @example
 * const results = await renderInPool(jobs, 2)
 */
export async function renderInPool(
  jobs: readonly PdfJob[],
  threads = availableParallelism(),
  onResult?: (index: number, pdfs: RenderedPdf[]) => Promise<void>,
): Promise<RenderedPdf[][]> {
  const results: RenderedPdf[][] = new Array<RenderedPdf[]>(jobs.length);
  const count = Math.max(1, Math.min(threads, jobs.length));
  if (count === 1) {
    for (const [index, job] of jobs.entries()) {
      results[index] = await renderJob(job);
      await onResult?.(index, results[index]);
    }
    return results;
  }
  let next = 0;
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL("./pdf-worker.js", import.meta.url)),
  );
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < jobs.length) {
          const index = next++;
          const pdfs = await new Promise<RenderedPdf[]>((resolve, reject) => {
            const onMessage = (message: { id: number; pdfs?: RenderedPdf[]; error?: string }) => {
              if (message.id !== index) return;
              worker.off("message", onMessage);
              worker.off("error", reject);
              if (message.error !== undefined) reject(new Error(message.error));
              else resolve(message.pdfs ?? []);
            };
            worker.on("message", onMessage);
            worker.once("error", reject);
            worker.postMessage({ id: index, job: jobs[index] });
          });
          results[index] = pdfs;
          await onResult?.(index, pdfs);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
