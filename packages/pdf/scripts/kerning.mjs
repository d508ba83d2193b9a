// Build step: the kerning of every pair of the text faces' characters, beside the compiled fonts module
// (dist/kerning.json), so that no process asks fontkit for them pair by pair (src/fonts.ts, `kerningTable`).
import { writeFileSync } from "node:fs";
import { kerningTable } from "../dist/fonts.js";

writeFileSync(new URL("../dist/kerning.json", import.meta.url), `${JSON.stringify(kerningTable())}\n`);
