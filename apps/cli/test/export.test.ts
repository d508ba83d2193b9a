import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp as makeTemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exportCommand } from "../src/commands/export.js";
import { UsageError } from "../src/io.js";
import { brokenCopy, memoryIo } from "./helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

const temporary: string[] = [];
/** A fresh temporary folder, removed after the tests. */
async function mkdtemp(prefix: string): Promise<string> {
  const folder = await makeTemp(prefix);
  temporary.push(folder);
  return folder;
}
afterAll(async () => {
  await Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Every file under a folder, as sorted relative paths with `/`. */
async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

describe("atrc export", () => {
  it("prints its help to stdout", async () => {
    const io = memoryIo(root);
    expect(await exportCommand.run(["--help"], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: atrc export \[paths\.\.\.\] --out <dir>/u);
    expect(io.out()).toContain("--site-url <url>");
    expect(io.out()).toContain("Examples:");
  });

  it("rejects a call without --out, unknown options and a bad site URL", async () => {
    const io = memoryIo(root);
    await expect(exportCommand.run([], io)).rejects.toThrow("Missing --out <dir>");
    await expect(exportCommand.run(["--out", "x", "--bogus"], io)).rejects.toThrow(UsageError);
    await expect(exportCommand.run(["--out", "x", "--site-url", "atrc.example"], io)).rejects.toThrow(
      "Unexpected --site-url `atrc.example`",
    );
  });

  it("writes every export of the 3CX bulletin with valid checksums and one summary line", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "atrc-export-cli-"));
    const io = memoryIo(root);
    expect(
      await exportCommand.run(["content", "--out", out, "--site-url", "https://atrc.example/"], io),
    ).toBe(0);
    const files = await listFiles(out);
    expect(files).toContain("iocs/atrc-2023-001.json");
    expect(files).toContain("iocs/atrc-2023-001.csv");
    expect(files).toContain("iocs/atrc-2023-001.stix.json");
    expect(files).toContain("iocs/atrc-2023-001.misp.json");
    expect(files).toContain("feeds/misp/manifest.json");
    expect(files).toContain("SHA256SUMS");
    expect(io.err()).toContain(
      `✔ Wrote ${files.length} files to ${path.relative(root, out)} (1 bulletin, 22 indicators).`,
    );
    const sums = (await readFile(path.join(out, "SHA256SUMS"), "utf8")).trimEnd().split("\n");
    for (const line of sums) {
      const [hex, file] = line.split("  ") as [string, string];
      expect(
        createHash("sha256")
          .update(await readFile(path.join(out, file)))
          .digest("hex"),
        file,
      ).toBe(hex);
    }
    // The real tool agrees, for the list and for a sidecar (which names its file by basename).
    execFileSync("sha256sum", ["--check", "--strict", "--quiet", "SHA256SUMS"], { cwd: out });
    execFileSync("sha256sum", ["--check", "--strict", "--quiet", "atrc-2023-001.stix.json.sha256"], {
      cwd: path.join(out, "iocs"),
    });
    const json = JSON.parse(await readFile(path.join(out, "iocs/atrc-2023-001.json"), "utf8")) as {
      bulletin: { url: { es: string } };
    };
    expect(json.bulletin.url.es).toBe("https://atrc.example/es/boletines/2023-03-3cx/");
  });

  it("gives byte-identical files on a second run", async () => {
    const first = await mkdtemp(path.join(tmpdir(), "atrc-export-cli-"));
    const second = await mkdtemp(path.join(tmpdir(), "atrc-export-cli-"));
    expect(await exportCommand.run(["content", "--out", first], memoryIo(root))).toBe(0);
    expect(await exportCommand.run(["content", "--out", second], memoryIo(root))).toBe(0);
    const files = await listFiles(first);
    expect(await listFiles(second)).toEqual(files);
    for (const file of files)
      expect(
        (await readFile(path.join(second, file))).equals(await readFile(path.join(first, file))),
        file,
      ).toBe(true);
  });

  it("exits 1, prints the diagnostics and leaves the output folder untouched when a bulletin fails the check", async () => {
    const work = await brokenCopy();
    await mkdir(path.join(work, "out"));
    await writeFile(path.join(work, "out/keep.txt"), "old\n");
    const io = memoryIo(work);
    expect(await exportCommand.run(["content", "--out", "out"], io)).toBe(1);
    expect(io.err()).toContain("ioc-invalid");
    expect(io.err()).toContain("No files were written.");
    expect(await listFiles(path.join(work, "out"))).toEqual(["keep.txt"]);
    expect((await readdir(work)).sort()).toEqual(["content", "out"]);
  });
});
