/**
 * The shape of the inventory-call signature vectors both signer tests keep as
 * data (`docs/protocol.md` §1 for COS, §2 for OSS): one row per call, with
 * each cloud's expected outputs added by the test that owns the table.
 */

/** One inventory call of a vector table: what is signed. */
export interface InventoryCallRow {
  /** The row's name in test titles, e.g. `PUT id`. */
  call: string;
  /** HTTP method. */
  method: string;
  /** Raw query parameters (`""` or `undefined` is valueless). */
  query: Record<string, string | undefined>;
  /** Request headers, as sent. */
  headers: Record<string, string>;
  /** Session token of the credentials, if any. */
  token?: string;
}
