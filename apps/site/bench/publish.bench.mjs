/**
 * Publishing at scale: `npm run build` (three Turborepo stages: `content:publish`, check, pages data, PDFs, exports
 * and search index in one pass; then `site:build`, the site; `build`, the search index and the downloads put into
 * the site) on N synthetic bulletins, side by side with a bare Astro build
 * of the same Markdown files.
 *
 *   npm run bench --workspace @atrc/site                                 # N = 100 and 1000, 3 runs each
 *   npm run bench --workspace @atrc/site -- --sizes 100 --runs 1         # quicker
 *
 * Every figure is a median over the runs, measured from outside the processes (wall clock), with the machine's
 * core count printed. Peak memory is the largest sum of the resident sizes of every process of the run, sampled
 * every 50 ms from /proc. The processor time of the bare build and of the full publish (user + system, every
 * process and thread of the run) is printed too, with the cores each kept busy on average: with it, the least time
 * the full publish could take on this machine's cores, were every core busy throughout.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generate } from "./generate.mjs";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "100,1000" }, runs: { type: "string", default: "3" } },
});
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);

const site = fileURLToPath(new URL("..", import.meta.url));
const repo = path.resolve(site, "../..");
const contentRel = "content/_bench";
const content = path.join(repo, contentRel);
const turboBin = path.join(repo, "node_modules/.bin/turbo");
const astroBin = path.join(repo, "node_modules/.bin/astro");

/** Sum of the RSS of `root` and all its descendants, in bytes. */
function treeRss(root) {
  const children = new Map();
  const rss = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/u.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      const pages = Number(readFileSync(`/proc/${name}/statm`, "utf8").split(" ")[1]);
      rss.set(Number(name), pages * 4096);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Clock ticks per second of /proc's times (Linux's USER_HZ). */
const CLOCK_TICKS = 100;

/**
 * Processor seconds (user + system) of this process's ended children, theirs included (`cutime` + `cstime` of
 * /proc/self/stat): every process of a run has ended and been waited for when it returns.
 */
function childrenCpu() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/**
 * Run a command; resolve with wall seconds, processor seconds and peak tree RSS. Fails loudly on a non-zero exit.
 */
function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpu();
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: repo,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", ASTRO_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, treeRss(child.pid));
    }, 50);
    child.on("close", (code) => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ seconds, cpu: childrenCpu() - cpuBefore, peak, output });
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${output.slice(-4000)}`));
    });
  });
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Per-stage wall seconds of the newest turbo run summary. */
async function stageTimes() {
  const dir = path.join(repo, ".turbo/runs");
  const newest = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({
      name,
      time: Number(readFileSync(path.join(dir, name), "utf8").match(/"startTime":\s*(\d+)/u)?.[1] ?? 0),
    }))
    .sort((a, b) => b.time - a.time)[0];
  const summary = JSON.parse(await readFile(path.join(dir, newest.name), "utf8"));
  const stages = {};
  for (const task of summary.tasks) {
    const seconds = (task.execution.endTime - task.execution.startTime) / 1000;
    const stage = task.taskId.startsWith("@atrc/site#")
      ? task.taskId.slice("@atrc/site#".length)
      : "packages";
    stages[stage] = (stages[stage] ?? 0) + (task.cache.status === "HIT" ? 0 : seconds);
  }
  return stages;
}

// A cache of its own: a 1,000-bulletin archive puts gigabytes of pages and PDFs in Turborepo's cache.
const turboCache = path.join(repo, "node_modules/.cache/atrc-bench-turbo");
const publish = (runId) =>
  run(
    turboBin,
    [
      "run",
      "build",
      "--filter=@atrc/site",
      "--summarize",
      "--output-logs=errors-only",
      `--cache-dir=${turboCache}`,
    ],
    {
      ATRC_CONTENT_DIR: contentRel,
      ATRC_BENCH_RUN: runId,
    },
  );

/**
 * Where the folders of earlier runs go until the bench ends. Deleting tens of thousands of files just before a timed
 * run slows the run's own file creations on ext4 without a journal, as this repository's machines have: each new
 * inode skips, one by one, those freed in the last minute (longer while their blocks are not yet written back;
 * `recently_deleted` in the kernel's fs/ext4/ialloc.c). At N = 1,000 that was 9.5 % of the content stage's processor
 * samples (`perf`) right after a previous run's output and cache were deleted, 2.3 % without: a cost of the bench's
 * cleanup, not of the pipeline (a fresh clone has no such files). Moved aside instead (a rename), they are deleted
 * once nothing is timed any more.
 */
const trash = path.join(repo, "node_modules/.cache/atrc-bench-trash");
let trashed = 0;

/** Move `folder` (or file) out of the way, as if it had never been made. */
async function discard(folder) {
  if (!existsSync(folder)) return;
  await mkdir(trash, { recursive: true });
  await rename(folder, path.join(trash, String(trashed++)));
}

/** Empty caches and outputs, as on a fresh clone (the packages' builds are kept). */
async function clean() {
  await discard(path.join(repo, "node_modules/.cache/atrc"));
  for (const name of [".publish", "dist", ".site", ".site-cached", ".site-files"])
    await discard(path.join(site, name));
}

/** Change one word of one bulletin (in both languages), as an analyst's fix would. */
async function editOne(index, round) {
  const folders = readdirSync(path.join(content, "bulletins")).sort();
  const folder = path.join(content, "bulletins", folders[index % folders.length]);
  for (const lang of ["es", "en"]) {
    const file = path.join(folder, `${lang}.md`);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(/\n\n([A-ZÁÉÍÓÚ][^\n]*?)\./u, `\n\n$1 (rev ${round}).`));
  }
}

const cores = availableParallelism();
console.log(`# Publish benchmark`);
console.log(
  `node ${process.version}, ${cores} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${runs} runs per figure\n`,
);
const rows = [];
// (Left by a bench that was stopped: deleted now, before the untimed set-up and warm-up.)
await rm(trash, { recursive: true, force: true });
try {
  for (const size of sizes) {
    await rm(content, { recursive: true, force: true });
    const generated = await generate(content, size);
    console.log(
      `N=${size}: ${size * 2} Markdown files, ${(generated.bytes / 1024 / 1024).toFixed(1)} MiB, ${generated.indicators} indicators`,
    );
    // Warm-up: builds the packages once (they are cached afterwards) and the OS file cache.
    await clean();
    await publish(randomUUID());

    const baseline = [];
    const baselineCpu = [];
    const full = [];
    const fullCpu = [];
    const noChange = [];
    const edit = [];
    const peaks = [];
    const stageRuns = [];
    const editStageRuns = [];
    const baselineOut = path.join(repo, "node_modules/.cache/atrc-baseline");
    for (let round = 0; round < runs; round++) {
      // From an empty output folder, as on a fresh clone: Astro emptying the previous round's 2,000 pages would be
      // counted against the baseline, and deleting them here would slow its file creations (see `trash`).
      await discard(baselineOut);
      const base = await run(astroBin, ["build", "--root", "apps/site/bench/baseline", "--force"], {
        BASELINE_CONTENT: content,
        BASELINE_OUT: baselineOut,
      });
      baseline.push(base.seconds);
      baselineCpu.push(base.cpu);

      await clean();
      const runId = randomUUID();
      const cold = await publish(runId);
      full.push(cold.seconds);
      fullCpu.push(cold.cpu);
      peaks.push(cold.peak);
      stageRuns.push(await stageTimes());

      noChange.push((await publish(runId)).seconds);

      await editOne(round * 7 + 3, round);
      edit.push((await publish(runId)).seconds);
      editStageRuns.push(await stageTimes());
      console.log(
        `  run ${round + 1}: bare Astro ${base.seconds.toFixed(2)} s (CPU ${base.cpu.toFixed(1)} s) | full publish ${cold.seconds.toFixed(2)} s (CPU ${cold.cpu.toFixed(1)} s) = ${(cold.seconds / base.seconds).toFixed(2)}× | no-change ${noChange.at(-1).toFixed(2)} s | one edit ${edit.at(-1).toFixed(2)} s | peak ${(cold.peak / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    const stages = {};
    for (const name of Object.keys(stageRuns[0]))
      stages[name] = median(stageRuns.map((entry) => entry[name] ?? 0));
    rows.push({
      size,
      baseline: median(baseline),
      baselineCpu: median(baselineCpu),
      full: median(full),
      fullCpu: median(fullCpu),
      noChange: median(noChange),
      edit: median(edit),
      peak: Math.max(...peaks),
      // Each round's full publish over its own bare Astro build, run just before it: the machine's speed drifts
      // between rounds (bare Astro took 17.5 to 42.5 s on the same files), less within one.
      roundRatio: median(full.map((seconds, index) => seconds / baseline[index])),
      stages,
    });
    const row = rows.at(-1);
    const editStages = Object.keys(editStageRuns[0])
      .map((name) => `${name} ${median(editStageRuns.map((entry) => entry[name] ?? 0)).toFixed(2)} s`)
      .join(", ");
    console.log(`  one-edit stages: ${editStages}`);
    console.log(
      `  bare Astro ${row.baseline.toFixed(2)} s | full publish ${row.full.toFixed(2)} s (${row.roundRatio.toFixed(2)}× bare Astro, median of the rounds) | no-change ${row.noChange.toFixed(2)} s | one edit ${row.edit.toFixed(2)} s | peak ${(row.peak / 2 ** 20).toFixed(0)} MiB`,
    );
  }
} finally {
  await rm(content, { recursive: true, force: true });
  await rm(path.join(repo, "node_modules/.cache/atrc-baseline"), { recursive: true, force: true });
  await rm(turboCache, { recursive: true, force: true });
  await clean();
  await rm(trash, { recursive: true, force: true });
}

const stageNames = ["packages", "content:publish", "site:build", "build"];
console.log(
  "\n| N | bare Astro | full publish | ratio | stages (content / site / downloads) | no-change rebuild | one-bulletin edit | edit / full | peak memory |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const row of rows) {
  const shares = stageNames
    .slice(1)
    .map((name) => `${((100 * (row.stages[name] ?? 0)) / row.full).toFixed(0)} %`)
    .join(" / ");
  console.log(
    `| ${row.size} | ${row.baseline.toFixed(2)} s | ${row.full.toFixed(2)} s | ${(row.full / row.baseline).toFixed(2)}× | ${shares} | ${row.noChange.toFixed(2)} s | ${row.edit.toFixed(2)} s | ${((100 * row.edit) / row.full).toFixed(1)} % | ${(row.peak / 2 ** 20).toFixed(0)} MiB |`,
  );
}
console.log("\nProcessor time (user + system, every process; medians):");
for (const row of rows) {
  const floor = row.fullCpu / cores;
  console.log(
    `- N=${row.size}: bare Astro ${row.baselineCpu.toFixed(1)} s (${(row.baselineCpu / row.baseline).toFixed(2)} cores busy on average), full publish ${row.fullCpu.toFixed(1)} s (${(row.fullCpu / row.full).toFixed(2)} of ${cores} cores); with every core busy throughout, the full publish would still take ${floor.toFixed(1)} s = ${(floor / row.baseline).toFixed(2)}× bare Astro`,
  );
}
const big = rows.find((row) => row.size === 1000) ?? rows.at(-1);
const goal = (ok, text) => console.log(`${ok ? "✔" : "✖"} ${text}`);
console.log(`\nGoals (N=${big.size}, ${cores} cores):`);
goal(
  big.full <= 2 * big.baseline,
  `full publish ≤ 2× bare Astro: ${(big.full / big.baseline).toFixed(2)}× (medians; median of the rounds' ratios ${big.roundRatio.toFixed(2)}×)`,
);
goal(big.noChange < 3, `no-change rebuild < 3 s: ${big.noChange.toFixed(2)} s`);
goal(
  big.edit < 0.2 * big.full,
  `one-bulletin edit < 20 % of a full publish: ${((100 * big.edit) / big.full).toFixed(1)} %`,
);
goal(big.peak < 1.5 * 2 ** 30, `peak memory < 1.5 GiB: ${(big.peak / 2 ** 30).toFixed(2)} GiB`);
if (!existsSync(path.join(site, "dist")))
  console.log("\n(apps/site/dist was removed; `npm run build` restores it)");
