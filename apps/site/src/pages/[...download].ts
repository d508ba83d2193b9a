import type { APIRoute, GetStaticPaths } from "astro";
import { getPublished } from "../lib/publish.ts";

/**
 * Every export file of @atrc/export at its path under the site root (`/iocs/…`, `/feeds/misp/…`,
 * `/schema/…`, `/SHA256SUMS`, the `.sha256` sidecars), from the same bytes the bulletin pages describe.
 */
export const getStaticPaths = (async () => {
  const { exports } = await getPublished();
  return [...exports.keys()].map((download) => ({ params: { download } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const { exports } = await getPublished();
  const file = exports.get(params.download ?? "");
  if (!file) return new Response(null, { status: 404 });
  return new Response(file.bytes as Uint8Array<ArrayBuffer>);
};
