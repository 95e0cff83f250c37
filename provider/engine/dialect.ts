/**
 * What the cloud-neutral engine (`./engine`) needs from a cloud and from its
 * surroundings: the client calls, the cloud's rules, and the journal, warnings
 * and clock. Types only.
 */
import type { ValidationFailure } from "../core/errors";
import type { JobAddress } from "./job";
import type { Journal } from "./journal";
import type { ListedJob } from "./reads";

/** What the engine needs from a cloud's client. */
export interface InventoryApi<Model> {
  /** Reads a job; rejects with `NotFoundError` when it does not exist. */
  get(bucket: string, id: string): Promise<Model>;
  /**
   * Creates a job that does not exist yet. On a cloud that refuses existing
   * ids ({@link InventoryDialect.exclusiveCreate}) it rejects with a 409
   * `CloudError` (`../core/errors`) whose `attempts` tell whether the refusal answered
   * the first send or a retry (after which our own earlier send may be what
   * exists).
   */
  create(bucket: string, model: Model): Promise<void>;
  /**
   * Replaces an existing job with `model`. Clouds that cannot overwrite must
   * keep the old job in place when the change fails.
   */
  update(bucket: string, model: Model): Promise<void>;
  /** Deletes a job; rejects with `NotFoundError` when it does not exist. */
  delete(bucket: string, id: string): Promise<void>;
  /** Every job of the bucket, all pages, with their ids (see `./reads`). */
  list(bucket: string): Promise<ReadonlyArray<ListedJob<Model>>>;
}

/** One cloud's rules, plugged into the engine. */
export interface InventoryDialect<Inputs extends JobAddress, Model> {
  /** Public type name for messages, e.g. `cos.BucketInventory`. */
  typeName: string;
  /** The cloud, as the journal names it. */
  cloud: "cos" | "oss";
  /**
   * Whether the cloud refuses to create a job whose id exists (OSS answers 409).
   * When it does, a create is one PUT, and the 409 tells a taken id; when it
   * does not (COS overwrites), a create reads first, and reads the job back
   * to catch a concurrent writer.
   */
  exclusiveCreate: boolean;
  /** How the cloud lists a bucket: the most pages a listing takes (its job limit ÷ the page size), and the page size. */
  listing: { readonly maxPages: number; readonly pageSize: number };
  /** The endpoint jobs are reached through (`default` or the override text), as the journal keys jobs. */
  endpointId(): string;
  /** Validates and normalizes raw inputs (no network). */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ValidationFailure[] };
  /** Properties whose change forces replacement. */
  replaceProperties: readonly string[];
  /** Properties that steer the provider but are not part of the job (never diffed). */
  controlProperties: readonly string[];
  /** Normalized inputs → wire model. */
  toModel(inputs: Inputs): Model;
  /** Wire model read from the cloud → normalized inputs. */
  fromModel(model: Model, address: JobAddress): Inputs;
  /** A client for a region (credentials and endpoint come from the provider's configuration). */
  api(region: string): InventoryApi<Model>;
}

/** What the engine needs besides the dialect: the journal, a place for warnings, and a clock. */
export interface EngineEnvironment {
  /** The journal (see `./journal`); called lazily so a preview that changes nothing touches no file. */
  journal(): Journal;
  /** Shows a warning to the user (the engine prints a provider's stderr). */
  warn(message: string): void;
  /** Waits; tests may replace it. */
  sleep(ms: number): Promise<void>;
}
