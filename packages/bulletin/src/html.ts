import type { Element, Root as HastRoot } from "hast";
import { toHtml as hastToHtml } from "hast-util-to-html";
import { toHast } from "mdast-util-to-hast";
import type { BulletinDocument } from "./model.js";

/**
 * Render a document's body to HTML for the site. Headings carry the model's ids, the IOC table
 * gets the `ioc-table` class and `data-ioc` cells,
 * every table is wrapped in a focusable `<section class="table-scroll">` labelled
 * with its heading, and links get `rel="noopener noreferrer"`. Indicator cells are already defanged
 * inline code in the model, so nothing here can make them live.
 *
 * @param document A checked document.
 * @returns HTML (no `<html>` shell).
 * @example
 * const html = toHtml(bulletin.original)
 */
export function toHtml(document: BulletinDocument): string {
  const hast = toHast(document.body) as HastRoot;
  const iocHeadings = new Set(
    document.tables.filter((table) => table.isIndicatorTable).map((table) => table.headingId),
  );
  const titles = new Map(document.sections.map((section) => [section.id, section.title]));
  let currentHeading: string | undefined;
  // A plain walk rather than `unist-util-visit`, whose per-node closures cost more than the work done here (a
  // bulletin of 300 indicators has a few thousand elements). Preorder, like `visit`: headings set the section a
  // table belongs to, links get `rel`, and a table is wrapped and not walked further.
  const walk = (parent: HastRoot | Element): void => {
    const { children } = parent;
    for (let index = 0; index < children.length; index++) {
      const node = children[index]!;
      if (node.type !== "element") continue;
      if (/^h[1-6]$/u.test(node.tagName)) {
        currentHeading = typeof node.properties.id === "string" ? node.properties.id : undefined;
      } else if (node.tagName === "a") {
        node.properties.rel = ["noopener", "noreferrer"];
      } else if (node.tagName === "table") {
        const isIoc = iocHeadings.has(currentHeading);
        node.properties.className = isIoc ? ["ioc-table"] : ["data-table"];
        if (isIoc) markIndicatorCells(node);
        // A focusable, labelled landmark: keyboard users can scroll a wide table and hear what it is.
        const label = (currentHeading === undefined ? undefined : titles.get(currentHeading)) ?? "Table";
        children[index] = {
          type: "element",
          tagName: "section",
          properties: { className: ["table-scroll"], tabIndex: 0, ariaLabel: label },
          children: [node],
        };
        continue;
      }
      walk(node);
    }
  };
  walk(hast);
  return hastToHtml(hast);
}

/** Give `data-ioc` to every cell of an indicator table that holds an indicator (inline code). */
function markIndicatorCells(parent: Element): void {
  for (const child of parent.children) {
    if (child.type !== "element") continue;
    if (
      child.tagName === "td" &&
      child.children.some((cell) => cell.type === "element" && cell.tagName === "code")
    )
      child.properties.dataIoc = "";
    markIndicatorCells(child);
  }
}
