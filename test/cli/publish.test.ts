import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const atrc = (...args: string[]) =>
  run(process.execPath, ["apps/cli/bin/atrc.js", ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1" },
  });

describe("the publish stages of the built CLI", () => {
  it("renders PDFs on worker threads with the same bytes as in one thread", async () => {
    const one = await mkdtemp(path.join(tmpdir(), "atrc-pdf-one-"));
    const two = await mkdtemp(path.join(tmpdir(), "atrc-pdf-two-"));
    const generated = await mkdtemp(path.join(tmpdir(), "atrc-pdf-content-"));
    await run(process.execPath, ["apps/site/bench/generate.mjs", generated, "3"], { cwd: root });
    const sources = ["content", generated];
    await atrc("pdf", ...sources, "--out", one, "--jobs", "1");
    await atrc("pdf", ...sources, "--out", two, "--jobs", "2");
    const names = (await readdir(one)).sort();
    expect(names).toHaveLength(8);
    expect((await readdir(two)).sort()).toEqual(names);
    for (const name of names) {
      expect(
        Buffer.compare(await readFile(path.join(one, name)), await readFile(path.join(two, name))),
        name,
      ).toBe(0);
    }
  });

  it("checksums the PDFs with the exports without copying them", async () => {
    const pdf = await mkdtemp(path.join(tmpdir(), "atrc-pub-pdf-"));
    const exports = await mkdtemp(path.join(tmpdir(), "atrc-pub-exports-"));
    await atrc("pdf", "content", "--out", pdf);
    await atrc("export", "content", "--out", exports, "--checksum", `pdf=${pdf}`, "--replace");
    const sums = await readFile(path.join(exports, "SHA256SUMS"), "utf8");
    expect(sums).toMatch(/^[0-9a-f]{64} {2}pdf\/atrc-2023-001-es\.pdf$/mu);
    expect(await readdir(path.join(exports, "pdf"))).toEqual([
      "atrc-2023-001-en.pdf.sha256",
      "atrc-2023-001-es.pdf.sha256",
    ]);
  });
});
