#!/usr/bin/env node
// Committed launcher: npm links it at install time, before `dist/` exists, and git keeps its
// executable bit. The CLI itself is compiled TypeScript in dist/.
import { main } from "../dist/main.js";

process.exitCode = await main(process.argv.slice(2));
