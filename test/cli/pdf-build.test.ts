/**
 * What `npm run build` leaves in @atrc/pdf's dist besides the compiled code: the kerning table its fonts module
 * reads (packages/pdf/scripts/kerning.mjs), made from the font files installed now. A build that skipped the step,
 * or a table left from other fonts, would only make PDFs slower (the fonts module then asks fontkit pair by pair),
 * so nothing else would notice.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/site.ts";

const dist = path.join(REPO, "packages/pdf/dist");

describe("the PDF package's build", () => {
  it("writes the kerning table of the installed fonts beside the fonts module", async () => {
    const written: unknown = JSON.parse(readFileSync(path.join(dist, "kerning.json"), "utf8"));
    const fonts = (await import(pathToFileURL(path.join(dist, "fonts.js")).href)) as {
      kerningTable(): unknown;
    };
    expect(written).toEqual(fonts.kerningTable());
  });
});
