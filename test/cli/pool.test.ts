import { describe, expect, it } from "vitest";
// The built pool: its workers are processes running the built `worker.js` beside it.
import { Pool, runInPool } from "../../apps/cli/dist/pool.js";

const job = (slug: string, value: string) => ({
  slug,
  sources: { es: { path: `content/bulletins/${slug}/es.md`, value } },
  langs: ["es" as const],
  siteUrl: "https://atrc.example.org",
  public: true,
});

describe("the CLI's worker pool", () => {
  it("gives a job's error back with the job, and its workers' processes end on close", async () => {
    const pool = new Pool();
    const workers = pool.grow(2);
    expect(workers).toHaveLength(2);
    expect(new Set(workers.map((worker) => worker.pid)).size).toBe(2);
    await expect(runInPool("pdf", [job("broken", "not a bulletin")], 2, undefined, pool)).rejects.toThrow(
      "Bulletin broken did not parse in the renderer",
    );
    await pool.close();
    for (const worker of workers) expect(worker.exitCode ?? worker.signalCode).not.toBeNull();
  });

  it("rejects the jobs of a worker that stopped instead of waiting for them", async () => {
    const pool = new Pool();
    const [worker] = pool.grow(1);
    await new Promise((resolve) => worker!.once("exit", resolve).kill("SIGKILL"));
    await expect(runInPool("pdf", [job("a", "x"), job("b", "y")], 1, undefined, pool)).rejects.toThrow(
      "A worker process stopped (SIGKILL) during job 0",
    );
    await pool.close();
  });
});
