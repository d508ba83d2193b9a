/**
 * What the page being rendered reads, besides the bulletins' summaries that every page may read: the route cache
 * (route-cache.ts) keys each page by exactly the data it read.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Data a page may read besides the summaries: the downloads index, or one bulletin's own data. */
export type PageInput = "downloads" | "bulletin";

// One store for every bundle of the build (the middleware and the pages may be bundled apart, in one process).
const STORE = Symbol.for("atrc.pageReads");
const shared = globalThis as typeof globalThis & { [STORE]?: AsyncLocalStorage<Set<PageInput>> };
const reads = (shared[STORE] ??= new AsyncLocalStorage());

/**
 * Note that the page being rendered reads `input` (nothing happens outside {@link recordReads}).
 *
 * @param input What it reads.
 */
export function noteRead(input: PageInput): void {
  reads.getStore()?.add(input);
}

/**
 * Run `render`, collecting what it reads.
 *
 * @param render Renders a page.
 * @returns Its response and the inputs it read.
 */
export async function recordReads(
  render: () => Promise<Response>,
): Promise<{ response: Response; read: ReadonlySet<PageInput> }> {
  const read = new Set<PageInput>();
  const response = await reads.run(read, render);
  return { response, read };
}
