/**
 * Copy buttons for the IOC table (progressive enhancement: without JavaScript, or without the
 * Clipboard API, no button is rendered at all). Every button copies the defanged value exactly as
 * shown; "copy all" copies every value of the table, one per line.
 */

function setup(article: HTMLElement): void {
  const labels = article.dataset;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  article.append(status);

  const announce = (message: string) => {
    status.textContent = "";
    // A new text node after clearing makes screen readers repeat an identical message.
    window.setTimeout(() => (status.textContent = message), 50);
  };

  const copy = async (text: string, button: HTMLButtonElement, done: string) => {
    const label = button.textContent ?? "";
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = labels.copyDone ?? "✓";
      button.classList.add("copied");
      announce(done);
    } catch {
      announce(labels.copyFailed ?? "");
    }
    window.setTimeout(() => {
      button.textContent = label;
      button.classList.remove("copied");
    }, 2000);
  };

  for (const table of article.querySelectorAll<HTMLTableElement>("table.ioc-table")) {
    const codes = [...table.querySelectorAll<HTMLElement>("td[data-ioc] > code")];
    if (codes.length === 0) continue;
    for (const code of codes) {
      const value = code.textContent ?? "";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = labels.copyOne ?? "Copy";
      button.setAttribute("aria-label", (labels.copyOneLabel ?? "{value}").replace("{value}", value));
      button.addEventListener("click", () => void copy(value, button, labels.copyDoneOne ?? ""));
      // The value and its button share one line when they fit, and the button sits at the end.
      const cell = document.createElement("span");
      cell.className = "ioc-cell";
      code.replaceWith(cell);
      cell.append(code, button);
    }
    const all = document.createElement("button");
    all.type = "button";
    all.className = "copy-button copy-all";
    all.textContent = labels.copyAll ?? "Copy all";
    all.addEventListener("click", () => {
      const text = codes.map((code) => code.textContent ?? "").join("\n");
      void copy(text, all, labels.copyDoneAll ?? "");
    });
    const toolbar = document.createElement("div");
    toolbar.className = "copy-toolbar";
    toolbar.append(all);
    const anchor = table.closest(".table-scroll") ?? table;
    anchor.before(toolbar);
  }
}

if (typeof navigator.clipboard?.writeText === "function") {
  for (const article of document.querySelectorAll<HTMLElement>("article.bulletin")) setup(article);
}

export {};
