// The package version, stamped on every element class so a tag collision can name both copies.
// A node test keeps it equal to package.json.
export const KEQUN_COMPONENTS_VERSION = '0.1.0';

/**
 * The compatibility line of the client context: the major version, or `0.minor` before 1.0 (where
 * a minor release may break). Two copies on one page share a context only when this matches.
 */
export const KEQUN_CONTEXT_LINE = '0.1';
