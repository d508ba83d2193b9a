/**
 * Heuristics for live (not defanged) names in prose, shared by `classify` and `extract`. A defanged name was marked as an
 * indicator on purpose by its author, so these never apply to it.
 */

// File extensions that are also ICANN TLDs. `name.ext` with exactly two labels and one of these is far more often a
// file (`install.sh`, `invoice.one`, `3CXDesktopApp.app`) than a domain; longer names (`mspbs.gov.py`) stay domains.
const FILE_EXTENSIONS = new Set([
  "app",
  "md",
  "mov",
  "one",
  "pl",
  "ps",
  "pub",
  "py",
  "rs",
  "run",
  "sh",
  "so",
  "zip",
]);

/**
 * Whether a live dotted name is more likely a file name or two sentences joined without a space than a domain.
 *
 * A capitalised last label with lower-case letters after the first (`update.Download`, `servidor.Es`) is a sentence
 * join: nobody writes a TLD that way. A two-label name ending in a common file extension is a file name.
 *
 * @param host The name as written (after refanging), any case.
 * @returns `true` when the name should not be reported as a domain.
 */
export function isUnlikelyLiveDomain(host: string): boolean {
  const dot = host.lastIndexOf(".");
  const tld = host.slice(dot + 1);
  if (/^\p{Lu}.*\p{Ll}/u.test(tld)) return true;
  return host.indexOf(".") === dot && FILE_EXTENSIONS.has(tld.toLowerCase());
}
