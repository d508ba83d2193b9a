import type { APIRoute, GetStaticPaths } from "astro";
import { getPublished } from "../lib/publish.ts";

/**
 * Every export file of @atrc/export at its path under the site root (`/iocs/…`, `/feeds/misp/…`,
 * `/schema/…`, `/SHA256SUMS`, the `.sha256` sidecars), from the same bytes the bulletin pages describe.
 */
export const getStaticPaths = (async () => {
  const { exports } = await getPublished();
  // Prebuilt downloads (`npm run build`) are copied into dist by the `atrc-publish` integration instead.
  return [...exports.values()]
    .filter((file) => file.bytes !== undefined)
    .map((file) => ({ params: { download: file.path } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const { exports } = await getPublished();
  const file = exports.get(params.download ?? "");
  if (!file?.bytes) return new Response(null, { status: 404 });
  return new Response(file.bytes as Uint8Array<ArrayBuffer>);
};
