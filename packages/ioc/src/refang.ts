/**
 * Refanging: undo the notations analysts use to make indicators unclickable (`hxxps`, `[.]`, `[@]`, …).
 *
 * One global regex finds every notation, so text without any is scanned once and returned as is. Each notation is
 * bracketed or tied to a `://`, which is what keeps bare words ("at", "dot"), Markdown links, Windows paths, times and
 * ellipses untouched.
 */

/**
 * Every defang notation we undo, case-insensitively:
 * - a dot or at-sign in brackets (`[.]`, `(dot)`, `{.}`, `[ . ]`, `[punto]`, `[@]`, `(at)`, `[arroba]`); spaces around
 *   them are eaten too (`evil [.] com`), the leading ones by the loop below so that the regex never starts on a space;
 * - the separators `[://]`, `[:]` and `[/]` (and their `()`/`{}` variants); `[:]//` is `[:]` followed by `//`;
 * - none of these when an opening parenthesis follows, which makes it the text of a Markdown link (`[.](url)`);
 * - `\.` between label characters, as in a regex source (`evil\.com`), unless an earlier backslash in the same word
 *   makes it a Windows path (`C:\Windows\.NET`: checked by {@link isWindowsPath}, which looks back a bounded distance,
 *   where a lookbehind would rescan the whole word at every backslash);
 * - the schemes `hxxp(s)`, `httx(s)`, `h**p(s)` and `fxp`, only when a (possibly defanged) `://` follows, so the word
 *   "hxxp" in prose stays.
 */
const DEFANGED =
  /[([{][\t ]*(?:\.|dot|punto)[\t ]*[)\]}](?!\()[\t ]*|[([{][\t ]*(?:@|at|arroba)[\t ]*[)\]}](?!\()[\t ]*|[([{]:\/\/[)\]}](?!\()|[([{][/:][)\]}](?!\()|\\\.(?<=[\da-z-]\\\.)(?=[\da-z])|\b(?:h(?:xx|\*\*)ps?|httxs?|fxp)(?=[([{]?:[)\]}]?\/\/)/giu;

/**
 * The result of one refang pass with the edits it made, so that offsets in the output map back to the input.
 * `edits` holds four numbers per edit: input start, input end, output start, output end.
 */
export interface RefangMap {
  text: string;
  edits: number[];
}

const isSpace = (code: number): boolean => code === 0x20 || code === 0x09;

/** Whether the `\.` at `backslash` sits in a Windows path: an earlier backslash in the same word is not before a dot. */
function isWindowsPath(text: string, backslash: number): boolean {
  for (let index = backslash - 1; index >= 0 && index >= backslash - 256; index--) {
    const code = text.charCodeAt(index);
    if (code <= 0x20) return false;
    if (code === 0x5c && text.charCodeAt(index + 1) !== 0x2e) return true;
  }
  return false;
}
const isOpening = (code: number): boolean => code === 0x28 || code === 0x5b || code === 0x7b;

/**
 * One refang pass that also records where each edit happened.
 *
 * @param text Free text.
 * @returns The refanged text and the edits; `edits` is empty (and `text` the input itself) when nothing was defanged.
 */
export function refangOnce(text: string): RefangMap {
  const edits: number[] = [];
  DEFANGED.lastIndex = 0;
  // `test` rather than `exec`, so no match array per notation: the characters around the end of the match tell where it
  // started and what it was, since each notation ends in a recognisable way.
  if (!DEFANGED.test(text)) return { text, edits };
  const parts: string[] = [];
  let last = 0;
  let delta = 0;
  do {
    const end = DEFANGED.lastIndex;
    const final = text.charCodeAt(end - 1) | 0x20;
    let start: number;
    let replacement: string;
    if (final === 0x2e) {
      // `\.`
      start = end - 2;
      if (isWindowsPath(text, start)) continue;
      replacement = ".";
    } else if (final === 0x73) {
      // `hxxps`, `httxs`, `h**ps`
      start = end - 5;
      replacement = "https";
    } else if (final === 0x78 || final === 0x70) {
      // `httx`, `hxxp`, `h**p`, `fxp`
      const ftp = (text.charCodeAt(end - 3) | 0x20) === 0x66;
      start = end - (ftp ? 3 : 4);
      replacement = ftp ? "ftp" : "http";
    } else {
      // A bracketed notation, maybe followed by spaces: find its opening bracket, then look at what it holds.
      let close = end - 1;
      while (isSpace(text.charCodeAt(close))) close--;
      start = close - 1;
      while (!isOpening(text.charCodeAt(start))) start--;
      let inner = start + 1;
      while (isSpace(text.charCodeAt(inner))) inner++;
      const held = text.charCodeAt(inner) | 0x20;
      if (held === 0x2e || held === 0x64 || held === 0x70) replacement = ".";
      else if (held === 0x60 || held === 0x61) replacement = "@";
      else if (held === 0x3a) replacement = text.charCodeAt(inner + 1) === 0x2f ? "://" : ":";
      else replacement = "/";
      if (replacement === "." || replacement === "@") {
        // `evil [.] com`: the spaces before a bracketed dot or at-sign belong to the notation.
        while (start > last && isSpace(text.charCodeAt(start - 1))) start--;
      }
    }
    parts.push(text.slice(last, start), replacement);
    const outStart = start - delta;
    edits.push(start, end, outStart, outStart + replacement.length);
    delta += end - start - replacement.length;
    last = end;
  } while (DEFANGED.test(text));
  parts.push(text.slice(last));
  return { text: parts.join(""), edits };
}

/**
 * Undo defang notations anywhere in free text, leaving everything else byte for byte.
 *
 * Understands, in any case: the schemes `hxxp`, `hxxps`, `httx`, `httxs`, `h**p`, `h**ps` and `fxp` (before `://`);
 * the separators `[:]//`, `[://]`, `[:]` and `[/]`; the dots `[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`, `{dot}`, `[ . ]`,
 * `[punto]`, spaced `evil [.] com` and `evil\.com`; the at-signs `[@]`, `(@)`, `{@}`, `[at]`, `(at)` and `[arroba]`.
 * It is idempotent: nested notations such as `[[.]]` are undone until nothing is left.
 *
 * @param text Any text: one indicator, a table cell or a whole bulletin.
 * @returns The text with every defang notation undone.
 * @example
 * ```ts
 * refang("httxs://evil[.]com/a y cliego.garcia[@]proton[.]me") // "https://evil.com/a y cliego.garcia@proton.me"
 * ```
 */
export function refang(text: string): string {
  let current = text;
  // Every pass that changes something either shortens the text or replaces an `x`/`*` of a scheme, so this ends.
  for (;;) {
    const next = refangOnce(current).text;
    if (next === current) return current;
    current = next;
  }
}
