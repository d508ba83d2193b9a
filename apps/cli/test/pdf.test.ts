import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pdfCommand } from "../src/commands/pdf.js";
import { UsageError, type CliIo } from "../src/io.js";
import { brokenCopy } from "./helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function fakeIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    cwd,
    color: false,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdin: () => Promise.resolve(""),
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

describe("atrc pdf", () => {
  it("prints its help to stdout", async () => {
    const { io, out } = fakeIo(root);
    expect(await pdfCommand.run(["--help"], io)).toBe(0);
    expect(out()).toMatch(/^Usage: atrc pdf \[paths\.\.\.\] --out <dir>/u);
  });

  it("rejects a call without --out, an unknown language and unknown options", async () => {
    const { io } = fakeIo(root);
    await expect(pdfCommand.run([], io)).rejects.toThrow(UsageError);
    await expect(pdfCommand.run(["--out", "x", "--lang", "fr"], io)).rejects.toThrow(
      "Unexpected --lang `fr`, expected `es` or `en`",
    );
    await expect(pdfCommand.run(["--out", "x", "--bogus"], io)).rejects.toThrow(UsageError);
  });

  it("writes one PDF per language with the CSV and STIX exports attached", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "atrc-pdf-cli-"));
    const { io, err } = fakeIo(root);
    expect(await pdfCommand.run(["content", "--out", out], io)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(["atrc-2023-001-en.pdf", "atrc-2023-001-es.pdf"]);
    expect(err()).toContain(`✔ 2 PDFs written to ${path.relative(root, out)}.`);
    const pdf = await readFile(path.join(out, "atrc-2023-001-es.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const list = execFileSync("pdfdetach", ["-list", path.join(out, "atrc-2023-001-es.pdf")], {
      encoding: "utf8",
    });
    expect(list).toContain("atrc-2023-001.csv");
    expect(list).toContain("atrc-2023-001.stix.json");
  });

  it("renders only the language asked for", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "atrc-pdf-cli-"));
    const { io } = fakeIo(root);
    expect(await pdfCommand.run(["content/bulletins/2023-03-3cx", "--out", out, "--lang", "en"], io)).toBe(0);
    expect(await readdir(out)).toEqual(["atrc-2023-001-en.pdf"]);
  });

  it("exits 1 and writes nothing when the content has errors", async () => {
    const work = await brokenCopy();
    const { io, err } = fakeIo(work);
    expect(await pdfCommand.run(["content", "--out", "out"], io)).toBe(1);
    expect(err()).toContain("No files were written.");
    await expect(readdir(path.join(work, "out"))).rejects.toThrow();
  });
});

describe("atrc pdf for publishing", () => {
  it("reuses cached PDFs, renders changed bulletins, and mirrors the folder with --replace", async () => {
    const content = await mkdtemp(path.join(tmpdir(), "atrc-pdf-content-"));
    await cp(path.join(root, "content"), content, { recursive: true });
    const cache = await mkdtemp(path.join(tmpdir(), "atrc-pdf-cache-"));
    const out = await mkdtemp(path.join(tmpdir(), "atrc-pdf-out-"));
    await writeFile(path.join(out, "stale.pdf"), "left by a deleted bulletin");
    const args = [content, "--out", out, "--cache", cache, "--replace"];

    const first = fakeIo(root);
    expect(await pdfCommand.run(args, first.io)).toBe(0);
    expect(first.err()).not.toContain("from the cache");
    expect((await readdir(out)).sort()).toEqual(["atrc-2023-001-en.pdf", "atrc-2023-001-es.pdf"]);
    const before = await readFile(path.join(out, "atrc-2023-001-es.pdf"));

    const second = fakeIo(root);
    expect(await pdfCommand.run(args, second.io)).toBe(0);
    expect(second.err()).toContain("(1 of 1 bulletins from the cache)");
    expect(Buffer.compare(await readFile(path.join(out, "atrc-2023-001-es.pdf")), before)).toBe(0);

    const es = path.join(content, "bulletins/2023-03-3cx/es.md");
    await writeFile(
      es,
      (await readFile(es, "utf8")).replace("## Resumen\n\n", "## Resumen\n\nTexto nuevo. "),
    );
    const third = fakeIo(root);
    expect(await pdfCommand.run(args, third.io)).toBe(0);
    expect(third.err()).not.toContain("from the cache");
    expect(Buffer.compare(await readFile(path.join(out, "atrc-2023-001-es.pdf")), before)).not.toBe(0);
  });

  it("rejects a bad --jobs", async () => {
    await expect(pdfCommand.run(["--out", "x", "--jobs", "0"], fakeIo(root).io)).rejects.toThrow(
      "Unexpected --jobs `0`, expected a whole number of 1 or more",
    );
  });
});
