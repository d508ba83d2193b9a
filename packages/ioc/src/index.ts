/**
 * `@atrc/ioc`: the indicator core of ATRc Press. Parse, validate, classify, defang and refang indicators of compromise.
 * Pure: no I/O, no clock, no Node built-ins.
 */
export { BENIGN_HOSTS, hostOf, isBenignHost } from "./benign.js";
export { classify } from "./classify.js";
export { defang } from "./defang.js";
export { extract } from "./extract.js";
export { refang } from "./refang.js";
export { IOC_TYPES } from "./types.js";
export type { Indicator, IocType, ValidationResult } from "./types.js";
export { validate } from "./validate.js";
