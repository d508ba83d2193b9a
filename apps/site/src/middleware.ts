/**
 * In the publish pipeline's build, a page whose inputs are unchanged since an earlier build is served from the
 * route cache instead of being rendered again (see lib/route-cache.ts). The dev server always renders.
 */
import { defineMiddleware } from "astro:middleware";
import { cachedRoute } from "./lib/route-cache.ts";

export const onRequest = defineMiddleware((context, next) => cachedRoute(context.url.pathname, next));
