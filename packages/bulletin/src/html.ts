import type { Element, Root as HastRoot } from "hast";
import { toHtml as hastToHtml } from "hast-util-to-html";
import { toHast } from "mdast-util-to-hast";
import { visit } from "unist-util-visit";
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
  visit(hast, "element", (node: Element, index, parent) => {
    if (/^h[1-6]$/u.test(node.tagName)) {
      currentHeading = typeof node.properties.id === "string" ? node.properties.id : undefined;
      return;
    }
    if (node.tagName === "a") {
      node.properties.rel = ["noopener", "noreferrer"];
      return;
    }
    if (node.tagName === "table" && parent && index !== undefined) {
      const isIoc = iocHeadings.has(currentHeading);
      node.properties.className = isIoc ? ["ioc-table"] : ["data-table"];
      if (isIoc) {
        visit(node, "element", (cell: Element) => {
          if (cell.tagName !== "td") return;
          const code = cell.children.find(
            (child): child is Element => child.type === "element" && child.tagName === "code",
          );
          if (code) cell.properties.dataIoc = "";
        });
      }
      // A focusable, labelled landmark: keyboard users can scroll a wide table and hear what it is.
      const label = (currentHeading === undefined ? undefined : titles.get(currentHeading)) ?? "Table";
      const wrapper: Element = {
        type: "element",
        tagName: "section",
        properties: { className: ["table-scroll"], tabIndex: 0, ariaLabel: label },
        children: [node],
      };
      parent.children[index] = wrapper;
      return "skip";
    }
    return;
  });
  return hastToHtml(hast);
}
