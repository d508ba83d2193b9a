/**
 * Memoisation per bulletin. A `Bulletin` is immutable data (the checker builds it once and nobody edits it), so what
 * every format derives from it first, its sorted indicator list, can be computed once and shared by the JSON, CSV,
 * STIX and MISP exports and by callers such as `atrc export`. The cache is a `WeakMap` keyed by the bulletin object:
 * an entry lives exactly as long as its bulletin, and callers see no difference but speed (the values cached are
 * frozen, so nobody can change them after the fact).
 *
 * The serialised files are deliberately not cached across calls: for 1,000 bulletins they weigh hundreds of
 * megabytes, and keeping them alive for the rest of a site build would make every later garbage collection slower.
 * `exportAll` serialises each format of each bulletin once per call instead.
 */
import type { PageBulletin as Bulletin } from "@atrc/bulletin";

/**
 * Memoise a pure function of one bulletin.
 *
 * @param compute The function to cache; it runs at most once per bulletin object (again after it throws).
 * @returns The cached function.
 * @example
 * const indicatorsOf = perBulletin((bulletin) => Object.freeze(computeIndicators(bulletin)))
 */
export function perBulletin<T>(compute: (bulletin: Bulletin) => T): (bulletin: Bulletin) => T {
  const cache = new WeakMap<Bulletin, { readonly value: T }>();
  return (bulletin) => {
    let entry = cache.get(bulletin);
    if (entry === undefined) {
      entry = { value: compute(bulletin) };
      cache.set(bulletin, entry);
    }
    return entry.value;
  };
}
