/**
 * Search with Pagefind's JS API (`/pagefind/pagefind.js`: the index `atrc publish --search` makes of the
 * bulletin pages, which the last build stage puts at `/pagefind/`). Pagefind picks the index of the page's
 * <html lang>, so each language searches its own bulletins. Results are rendered with DOM methods; only Pagefind's excerpt (page text with <mark>)
 * is inserted as HTML, after removing every tag but <mark>.
 */

interface PagefindResult {
  data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }>;
}
interface Pagefind {
  search(query: string): Promise<{ results: PagefindResult[] }>;
  options?(options: Record<string, unknown>): Promise<void>;
}

const form = document.querySelector<HTMLFormElement>("#search-form");
const input = document.querySelector<HTMLInputElement>("#search-input");
const status = document.querySelector<HTMLElement>("#search-status");
const list = document.querySelector<HTMLOListElement>("#search-results");
const nojs = document.querySelector<HTMLElement>("#search-nojs");

let pagefind: Promise<Pagefind> | undefined;
const loadPagefind = () => {
  // A variable specifier keeps the bundler from resolving a file that only exists after the build.
  const url = "/pagefind/pagefind.js";
  pagefind ??= import(/* @vite-ignore */ url) as Promise<Pagefind>;
  return pagefind;
};

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
    const { results } = await api.search(query);
    const data = await Promise.all(results.slice(0, 20).map((result) => result.data()));
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
    const template =
      data.length === 0 ? labels.none : data.length === 1 ? labels.resultsOne : labels.resultsOther;
    status.textContent = (template ?? "").replace("{query}", query).replace("{count}", String(data.length));
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
