import type { BulletinDocument } from "@atrc/bulletin";
import { defineCollection } from "astro:content";
import { z } from "astro/zod";
import { atrcLoader } from "./lib/loader.ts";

const bulletins = defineCollection({
  loader: atrcLoader(),
  // The loader has already validated everything with @atrc/bulletin; the schema only types the entries.
  schema: z.object({
    slug: z.string(),
    id: z.string(),
    lang: z.enum(["es", "en"]),
    original: z.boolean(),
    document: z.custom<BulletinDocument>((value) => typeof value === "object" && value !== null),
  }),
});

export const collections = { bulletins };
