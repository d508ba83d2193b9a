// `npm run bench`: milliseconds per PDF (median) for the 3CX bulletin and a large generated one,
// with the naive font set-up (pdfkit parsing the font files for every document) as the baseline.
// Wall-clock and CPU time (user + system) are both shown: on a shared machine the CPU time is the
// steadier figure. Imports the built package (turbo runs `build` first). Run through npm/npx so
// Node 24 is used.
import { parseBulletin } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import console from "node:console";
import os from "node:os";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";
import { fontMode } from "../dist/fonts.js";
import { renderPdf } from "../dist/index.js";
import { largeBulletin } from "../test/fixtures/generate.ts";
import { exportsOf } from "../test/helpers.ts";

const contentDir = fileURLToPath(new URL("../../../content/bulletins/2023-03-3cx", import.meta.url));
const { bulletins } = await loadContent([contentDir]);
const threeCx = bulletins[0];
if (!threeCx) throw new Error(`No bulletin loaded from ${contentDir}`);
const large = parseBulletin("large", {
  es: { path: "large/es.md", value: largeBulletin(300, "es") },
  en: { path: "large/en.md", value: largeBulletin(300, "en") },
}).bulletin;
if (!large) throw new Error("The generated bulletin did not parse");

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function measure(bulletin, runs, { langs = ["es"], attachments = false } = {}) {
  const options = attachments ? { attachments: exportsOf(bulletin) } : {};
  for (let index = 0; index < 5; index++) for (const lang of langs) await renderPdf(bulletin, lang, options);
  const times = [];
  const cpu = [];
  let size = 0;
  for (let index = 0; index < runs; index++) {
    for (const lang of langs) {
      const usage = process.cpuUsage();
      const start = performance.now();
      const { bytes } = await renderPdf(bulletin, lang, options);
      times.push(performance.now() - start);
      const { user, system } = process.cpuUsage(usage);
      cpu.push((user + system) / 1000);
      if (lang === langs[0]) size = bytes.length;
    }
  }
  times.sort((a, b) => a - b);
  return {
    median: median(times),
    cpu: median(cpu),
    min: times[0],
    max: times.at(-1),
    size,
    runs: times.length,
  };
}

const rows = [];
fontMode.naive = true;
rows.push(["3CX (es), naive: fonts parsed per document", await measure(threeCx, 20)]);
fontMode.naive = false;
rows.push(["3CX (es), fonts parsed once + shared caches", await measure(threeCx, 40)]);
rows.push([
  "3CX (es + en) with CSV + STIX attachments",
  await measure(threeCx, 20, { langs: ["es", "en"], attachments: true }),
]);
rows.push([`generated, ${large.original.indicators.length} indicators (es)`, await measure(large, 10)]);

console.log(
  `@atrc/pdf bench — Node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? "unknown CPU"})`,
);
for (const [name, r] of rows) {
  console.log(
    `${name.padEnd(52)} ${r.median.toFixed(1).padStart(7)} ms/PDF median  (CPU ${r.cpu.toFixed(1)} ms)  [${r.min.toFixed(1)}–${r.max.toFixed(1)}]  n=${r.runs}  ${(r.size / 1024).toFixed(0)} KB`,
  );
}
console.log(`speed-up over the naive set-up on 3CX: ${(rows[0][1].median / rows[1][1].median).toFixed(1)}×`);
