/** What the publish cache's entries are called, apart from the code that makes them (which loads the renderers). */

/** File name of an entry's manifest. */
export const ENTRY_FILE = "entry.json";
/** Format of `entry.json`; entries of another format are made again. */
export const ENTRY_VERSION = 7;
