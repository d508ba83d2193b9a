/**
 * Search with Pagefind's JS API. `atrc publish --search` makes one index of the bulletin pages per year of
 * publication (`/pagefind/<year>/`, listed newest first in `/pagefind/shards.json`), which the last build stage puts
 * at `/pagefind/`: the newest index with the page's language is Pagefind's primary one, and the others with that
 * language are merged into it (`mergeIndex`), so each language searches its own bulletins of every year. Results are
 * rendered with DOM methods; only Pagefind's excerpt (page text with <mark>) is inserted as HTML, after removing
 * every tag but <mark>.
 */

interface PagefindResult {
  data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }>;
}
interface Pagefind {
  search(query: string): Promise<{ results: PagefindResult[] }>;
  mergeIndex(path: string, options?: Record<string, unknown>): Promise<void>;
}
/** `/pagefind/shards.json`. */
interface ShardList {
  readonly shards: readonly { readonly path: string; readonly languages: readonly string[] }[];
}

const form = document.querySelector<HTMLFormElement>("#search-form");
const input = document.querySelector<HTMLInputElement>("#search-input");
const status = document.querySelector<HTMLElement>("#search-status");
const list = document.querySelector<HTMLOListElement>("#search-results");
const nojs = document.querySelector<HTMLElement>("#search-nojs");

const INDEX_ROOT = "/pagefind/";
/** How many results are listed. */
const SHOWN = 20;

/** Pagefind with every index of the page's language merged, or undefined when no index has that language. */
async function openIndexes(): Promise<Pagefind | undefined> {
  const response = await fetch(`${INDEX_ROOT}shards.json`);
  if (!response.ok) throw new Error(`${INDEX_ROOT}shards.json: ${response.status}`);
  const { shards } = (await response.json()) as ShardList;
  const lang = document.documentElement.lang;
  const [primary, ...others] = shards.filter((shard) => shard.languages.includes(lang));
  if (!primary) return undefined;
  // A variable specifier keeps the bundler from resolving a file that only exists after the build.
  const url = `${INDEX_ROOT}${primary.path}pagefind.js`;
  const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
  await Promise.all(
    others.map((shard) => pagefind.mergeIndex(`${INDEX_ROOT}${shard.path}`, { language: lang })),
  );
  return pagefind;
}

let pagefind: Promise<Pagefind | undefined> | undefined;
// Opened once; a failure (offline, say) is not kept, so the next search tries again.
const loadPagefind = () =>
  (pagefind ??= openIndexes().catch((error: unknown) => {
    pagefind = undefined;
    throw error;
  }));

function onlyMarks(html: string): string {
  return html.replace(/<(?!\/?mark>)[^>]*>/g, "");
}

// Typing and pressing Enter can start overlapping searches: only the latest one may render.
let latest = 0;

async function run(query: string): Promise<void> {
  if (!form || !status || !list) return;
  const labels = form.dataset;
  const token = ++latest;
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = labels.loading ?? "";
  try {
    const api = await loadPagefind();
    const { results } = api ? await api.search(query) : { results: [] };
    // Only the best results are shown (each costs a request for its text); the count is of them all.
    const data = await Promise.all(results.slice(0, SHOWN).map((result) => result.data()));
    if (token !== latest) return;
    list.replaceChildren();
    for (const item of data) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.meta.title ?? item.url;
      const heading = document.createElement("h2");
      heading.append(link);
      const excerpt = document.createElement("p");
      excerpt.innerHTML = onlyMarks(item.excerpt);
      li.append(heading, excerpt);
      list.append(li);
    }
    const total = results.length;
    const template = total === 0 ? labels.none : total === 1 ? labels.resultsOne : labels.resultsOther;
    const showing =
      total > data.length ? ` ${(labels.showing ?? "").replace("{shown}", String(data.length))}` : "";
    status.textContent = `${(template ?? "").replace("{query}", query).replace("{count}", String(total))}${showing}`;
  } catch {
    if (token === latest) status.textContent = labels.error ?? "";
  }
}

if (form && input) {
  form.hidden = false;
  if (nojs) nojs.hidden = true;
  const initial = new URLSearchParams(window.location.search).get("q") ?? "";
  input.value = initial;
  let timer: number | undefined;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    const query = input.value;
    const url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url);
    void run(query);
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void run(input.value), 250);
  });
  if (initial) void run(initial);
}

export {};
