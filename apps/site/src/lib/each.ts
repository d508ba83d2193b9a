/**
 * Run an async function over many items with a few calls in flight: file-system work over thousands of small
 * files (a large archive's downloads and pages) waits on the disk far more than it computes.
 *
 * @param items The items.
 * @param work What to do with each.
 * @param limit Calls in flight at most (default 16).
 * @example
 * await eachLimit(files, (file) => link(file, target(file)))
 */
export async function eachLimit<T>(
  items: Iterable<T>,
  work: (item: T) => Promise<unknown>,
  limit = 16,
): Promise<void> {
  const list = [...items];
  let next = 0;
  const worker = async () => {
    while (next < list.length) await work(list[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}
