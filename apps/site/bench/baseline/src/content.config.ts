import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";

const base = process.env.BASELINE_CONTENT;
if (!base) throw new Error("Set BASELINE_CONTENT to the content folder to build");

export const collections = {
  bulletins: defineCollection({ loader: glob({ pattern: "**/*.md", base }) }),
};
