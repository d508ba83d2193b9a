import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../src/parse.js";

/**
 * The checker parses with Sätteri for speed; remark-parse + remark-gfm + remark-frontmatter is the reference.
 * These tests hold the two to the same mdast, positions included, so every rule and renderer sees what the
 * unified ecosystem would.
 */
const reference = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfm);

/** Key order differs between the two; compare canonical JSON. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

const expectSameTree = (source: string) =>
  expect(canonical(parseMarkdown(source))).toEqual(canonical(reference.parse(source)));

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const sources = [
  "content/bulletins/2023-03-3cx/es.md",
  "content/bulletins/2023-03-3cx/en.md",
  ...readdirSync(`${repo}test/fixtures/bulletins`).flatMap((name) =>
    ["es", "en"].map((lang) => `test/fixtures/bulletins/${name}/${lang}.md`),
  ),
].flatMap((path) => {
  try {
    return [[path, readFileSync(`${repo}${path}`, "utf8")] as const];
  } catch {
    return [];
  }
});

describe("parseMarkdown", () => {
  it.each(sources)("gives remark's tree for %s", (_path, source) => {
    expectSameTree(source);
  });

  it("gives remark's tree for generated bulletin-like Markdown", () => {
    const word = fc.stringMatching(/^[a-záéíóúñ]{1,10}$/u);
    const inline = fc.oneof(
      word,
      word.map((w) => `**${w}**`),
      word.map((w) => `_${w}_`),
      word.map((w) => `\`${w}.dll\``),
      word.map((w) => `hxxps://${w}[.]com/${w}`),
      word.map((w) => `${w}[@]proton[.]me`),
      word.map((w) => `[${w}](https://example.com/${w})`),
      fc.constantFrom("«cita»", "1.304", "242,519", "—", "¿qué?", "(paréntesis)"),
    );
    const line = fc.array(inline, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(" "));
    const cell = fc
      .array(inline, { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join(" ").replaceAll("|", "/"));
    const table = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 }))
      .chain(([columns, rows]) =>
        fc.tuple(
          fc.array(cell, { minLength: columns, maxLength: columns }),
          fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), {
            minLength: rows,
            maxLength: rows,
          }),
        ),
      )
      .map(
        ([header, rows]) =>
          `| ${header.join(" | ")} |\n|${header.map(() => " --- ").join("|")}|\n${rows.map((row) => `| ${row.join(" | ")} |`).join("\n")}`,
      );
    const block = fc.oneof(
      line,
      line.map((text) => `## ${text}`),
      line.map((text) => `> ${text}\n>\n> — ${text}`),
      fc
        .array(line, { minLength: 1, maxLength: 4 })
        .map((items) => items.map((item) => `- ${item}`).join("\n")),
      fc
        .array(line, { minLength: 1, maxLength: 4 })
        .map((items) => items.map((item, i) => `${i + 1}. ${item}`).join("\n")),
      table,
    );
    const document = fc
      .array(block, { minLength: 1, maxLength: 10 })
      .map((blocks) => `---\nid: ATRC-2024-001\ntitle: x\n---\n\n${blocks.join("\n\n")}\n`);
    fc.assert(
      fc.property(document, (source) => {
        expectSameTree(source);
      }),
      { numRuns: 200 },
    );
  });
});
