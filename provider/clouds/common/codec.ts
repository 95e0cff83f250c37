/**
 * The XML steps the COS and OSS codecs share. Both clouds speak the S3
 * inventory dialect: an `InventoryConfiguration` document, list pages of
 * them with `IsTruncated` and `NextContinuationToken`, and `<Error>`
 * documents. What differs (the destination and filter elements, the error
 * fields, which spellings are tolerated) stays in each codec.
 *
 * One decode policy for both clouds (docs/protocol.md §5, "Decoding"):
 * - values are passed through as sent (an unknown frequency or version
 *   selection stays what it is); the cloud's rules judge them, so reading a
 *   job never fails on a value a newer service writes, which would block
 *   refresh and delete;
 * - an optional element present but empty (`<Prefix></Prefix>`,
 *   `<AccountId/>`) reads as absent, as the services mean it; a required
 *   element present but empty reads as `""`, so the rules can name it;
 * - a body is refused only when it cannot be read as a configuration: bad
 *   XML, a wrong root, a missing required element, or a boolean or number
 *   that is not one.
 *
 * Every function is pure and reports a bad body with an
 * {@link XmlFormatError}, except {@link decodeErrorFields}, which never
 * throws.
 */
import {
  asArray,
  bool,
  child,
  el,
  isBlank,
  nonEmptyEl,
  optionalEl,
  parseXml,
  text,
  XmlFormatError,
  type XmlNode,
  type XmlPart,
} from "../../xml";

/** The root element of a configuration, and of each configuration in a list page. */
export const CONFIGURATION_ROOT = "InventoryConfiguration";

/**
 * Parses `xml` and returns its root element's content.
 *
 * @param roots the accepted root names; the first is the one an error names.
 * @throws {@link XmlFormatError} when the XML is malformed or its root is not one of `roots`.
 */
export function decodeDocument(xml: string, roots: readonly string[]): XmlNode {
  const doc = parseXml(xml);
  if (!roots.includes(doc.root)) {
    throw new XmlFormatError(`expected root element ${roots[0]}, got ${doc.root}`);
  }
  return doc.content;
}

/**
 * Which of `paths` (slash-separated, such as `Schedule/Frequency`) are absent
 * from an element's content. An element present but empty counts as present:
 * its value is judged afterwards, where the property can be named.
 */
export function missingElements(content: XmlNode | undefined, paths: readonly string[]): string[] {
  return paths.filter((path) => path.split("/").reduce(child, content) === undefined);
}

/**
 * Checks that `content` carries every one of `required`.
 *
 * @throws {@link XmlFormatError} naming `where` and every missing element.
 */
export function requireElements(content: XmlNode, required: readonly string[], where: string): void {
  const missing = missingElements(content, required);
  if (missing.length > 0) {
    throw new XmlFormatError(`${where} is missing required element(s): ${missing.join(", ")}`);
  }
}

/** The text of an optional element, or `undefined` when it is absent or empty (the decode policy above). */
export function optionalText(node: XmlNode | undefined): string | undefined {
  const value = text(node);
  return value === "" ? undefined : value;
}

/** The parts of a configuration that are the same on both clouds, as {@link decodeConfigurationParts} reads them. */
export interface ConfigurationParts<Versions extends string, Frequency extends string> {
  /** `Id`. */
  id: string;
  /** `IsEnabled`. */
  isEnabled: boolean;
  /** `IncludedObjectVersions`, as sent. */
  includedObjectVersions: Versions;
  /** `Schedule/Frequency`, as sent. */
  schedule: { frequency: Frequency };
  /** `OptionalFields/Field`, in document order; `[]` when absent. */
  optionalFields: string[];
}

/**
 * Checks that `content` carries every one of `required`, then reads the
 * parts of a configuration both clouds share. The enums are typed as the
 * cloud's but passed through unchecked (the decode policy above).
 *
 * @throws {@link XmlFormatError} naming `where` for a missing required element or a bad `IsEnabled`.
 */
export function decodeConfigurationParts<Versions extends string, Frequency extends string>(
  content: XmlNode,
  where: string,
  required: readonly string[],
): ConfigurationParts<Versions, Frequency> {
  requireElements(content, required, where);
  return {
    id: text(child(content, "Id")),
    isEnabled: decodeIsEnabled(content, where),
    includedObjectVersions: text(child(content, "IncludedObjectVersions")) as Versions,
    schedule: { frequency: text(child(child(content, "Schedule"), "Frequency")) as Frequency },
    optionalFields: asArray(child(child(content, "OptionalFields"), "Field")).map(text),
  };
}

/** The two ways a codec reads a configuration, made by {@link configurationDecoders}. */
export interface ConfigurationDecoders<C> {
  /**
   * Reads an `InventoryConfiguration` document.
   *
   * @throws {@link XmlFormatError} when the XML is malformed, the root is
   *   wrong, or the content is refused (see `decodeObject`).
   */
  decodeDocument: (xml: string) => C;
  /**
   * Reads an already-parsed `InventoryConfiguration` element's content (a
   * document's, or one item of a list page); `where` names the element in
   * error messages, e.g. `InventoryConfiguration[2]`.
   *
   * @throws {@link XmlFormatError} for a missing required element, a bad
   *   `IsEnabled`, or whatever the cloud's own part refuses.
   */
  decodeObject: (content: XmlNode, where?: string) => C;
  /**
   * The elements of an `InventoryConfiguration` document that these decoders
   * would not keep: any outside the cloud's known elements, and single ones
   * repeated (see {@link unknownElements}). The emulator refuses a PUT that
   * has any, rather than dropping them.
   *
   * @throws {@link XmlFormatError} when the XML is malformed or the root is wrong.
   */
  unknownElements: (xml: string) => string[];
}

/** A cloud's own part of a configuration, as {@link configurationDecoders} reads it. */
export interface CloudElements<D, F, C = unknown> {
  /** The element inside `Destination`, e.g. `COSBucketDestination`. */
  destinationElement: string;
  /** Every element path the decoders read, from the root (`Filter/Prefix`). */
  knownElements: readonly string[];
  /** The paths of elements that may repeat (report columns, tags). */
  repeatableElements: readonly string[];
  /** Reads that element; `where` names the configuration. */
  decodeDestination: (node: XmlNode | undefined, where: string) => D;
  /** Reads `Filter`; `undefined` when it holds nothing. `where` names the filter. */
  decodeFilter: (node: XmlNode | undefined, where: string) => F | undefined;
  /** Reads the cloud's other elements (schedule details, ...) into `cfg`; `where` names the configuration. */
  decodeMore?: (content: XmlNode, where: string, cfg: C) => void;
}

/**
 * A cloud's configuration decoders: {@link decodeConfigurationParts} for what
 * both clouds share, then the cloud's destination and filter.
 */
export function configurationDecoders<
  C extends ConfigurationParts<string, string> & { destination: D; filter?: F },
  D = C["destination"],
  F = NonNullable<C["filter"]>,
>(required: readonly string[], cloud: CloudElements<D, F, C>): ConfigurationDecoders<C> {
  const decodeObject = (content: XmlNode, where: string = CONFIGURATION_ROOT): C => {
    const destination = cloud.decodeDestination(
      child(child(content, "Destination"), cloud.destinationElement),
      where,
    );
    // The enums are the cloud's types, passed through unchecked (the decode policy above).
    const cfg = { ...decodeConfigurationParts(content, where, required), destination } as C;
    const filter = cloud.decodeFilter(child(content, "Filter"), `${where}/Filter`);
    if (filter !== undefined) cfg.filter = filter;
    cloud.decodeMore?.(content, where, cfg);
    return cfg;
  };
  return {
    decodeDocument: (xml) => decodeObject(decodeDocument(xml, [CONFIGURATION_ROOT])),
    decodeObject,
    unknownElements: (xml) =>
      unknownElements(
        decodeDocument(xml, [CONFIGURATION_ROOT]),
        cloud.knownElements,
        cloud.repeatableElements,
      ),
  };
}

/**
 * Writes an `<Error>` document's fields in the order of `fields`: the first
 * `required` always (empty when unset), the rest only when set and not empty.
 */
export function encodeErrorFields<K extends string>(
  body: Partial<Record<K, string>>,
  fields: readonly (readonly [K, string])[],
  required: number,
): string {
  return el(
    "Error",
    fields.map(([key, name], i) => {
      const value = body[key];
      return i < required || (value !== undefined && value !== "") ? el(name, value ?? "") : undefined;
    }),
  );
}

/** The destination fields both clouds write, in the order both write them. */
export interface DestinationFields {
  /** Report format (`CSV`). */
  format: string;
  /** Owner account of the destination bucket; left out when undefined (OSS requires it, so always sets it). */
  accountId?: string;
  /** Role the service assumes to write reports (OSS, which requires it); left out when undefined. */
  roleArn?: string;
  /** Destination bucket in the cloud's resource-name form. */
  bucket: string;
  /** Key prefix of the reports; left out when unset or empty. */
  prefix?: string;
}

/**
 * `<Destination><{wrapper}>…</{wrapper}></Destination>`: format, account,
 * role, bucket and prefix in the order both clouds' docs and SDKs write
 * them, then the cloud's own encryption element.
 */
export function encodeDestination(wrapper: string, dest: DestinationFields, encryption: XmlPart): string {
  return el("Destination", [
    el(wrapper, [
      el("Format", dest.format),
      optionalEl("AccountId", dest.accountId),
      optionalEl("RoleArn", dest.roleArn),
      el("Bucket", dest.bucket),
      nonEmptyEl("Prefix", dest.prefix),
      encryption,
    ]),
  ]);
}

/** `<OptionalFields>` with one `<Field>` each, or nothing for an empty list. */
export function encodeOptionalFields(fields: readonly string[]): XmlPart {
  return fields.length > 0
    ? el(
        "OptionalFields",
        fields.map((f) => el("Field", f)),
      )
    : undefined;
}

/**
 * Reads a configuration's `IsEnabled` (`true`/`false` in any letter case).
 *
 * @throws {@link XmlFormatError} naming `where` when it is anything else.
 */
export function decodeIsEnabled(content: XmlNode, where: string): boolean {
  const enabledText = text(child(content, "IsEnabled"));
  const isEnabled = bool(enabledText);
  if (isEnabled === undefined) {
    throw new XmlFormatError(
      `${where}/IsEnabled must be "true" or "false", got ${JSON.stringify(enabledText)}`,
    );
  }
  return isEnabled;
}

/**
 * Reads an integer element's text; blank means absent. The text must be
 * digits (with a leading `-` only when `signed`) and a safe integer, so the
 * model holds it exactly.
 *
 * @param expected what the value must be, for the error, e.g. `a non-negative integer`.
 * @throws {@link XmlFormatError} naming `where` and `expected` for any other text.
 */
export function decodeInteger(
  node: XmlNode | undefined,
  where: string,
  expected: string,
  signed: boolean,
): number | undefined {
  const raw = text(node).trim();
  if (raw === "") return undefined;
  const pattern = signed ? /^-?[0-9]+$/ : /^[0-9]+$/;
  if (!pattern.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new XmlFormatError(`${where} must be ${expected}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** What every list page has, read by {@link decodeListPageParts}. */
export interface ListPageParts<C> {
  /** The root element's content, for the cloud's own elements (tokens). */
  content: XmlNode;
  /** The configurations, in document order. */
  configurations: C[];
  /** Whether more pages follow. */
  isTruncated: boolean;
}

/**
 * Reads the parts of a list page both clouds share: the configurations
 * (each decoded by `decodeConfiguration` with its name, indexed when there
 * are several) and `IsTruncated`. A missing or blank `IsTruncated` reads as
 * `false`; when it is repeated the page counts as truncated if any says so,
 * because wrongly stopping would silently drop jobs, while wrongly continuing
 * ends at the first page without a token.
 *
 * @param roots the accepted root names; the first is the one an error names.
 * @throws {@link XmlFormatError} when the XML is malformed, the root is
 *   wrong, `IsTruncated` is not a boolean, or `decodeConfiguration` throws.
 */
export function decodeListPageParts<C>(
  xml: string,
  roots: readonly string[],
  decodeConfiguration: (content: XmlNode, where: string) => C,
): ListPageParts<C> {
  const content = decodeDocument(xml, roots);
  const configNodes = asArray(child(content, CONFIGURATION_ROOT));
  const configurations = configNodes.map((node, i) =>
    decodeConfiguration(node, configNodes.length > 1 ? `${CONFIGURATION_ROOT}[${i}]` : CONFIGURATION_ROOT),
  );

  let isTruncated = false;
  for (const node of asArray(child(content, "IsTruncated"))) {
    if (isBlank(node)) continue;
    const value = bool(node);
    if (value === undefined) {
      throw new XmlFormatError(`IsTruncated must be "true" or "false", got ${JSON.stringify(text(node))}`);
    }
    isTruncated ||= value;
  }
  return { content, configurations, isTruncated };
}

/** A list page as both clouds' models hold it. */
export interface InventoryListPage<C> {
  /** The configurations, in document order. */
  configurations: C[];
  /** Whether more pages follow. */
  isTruncated: boolean;
  /** `ContinuationToken`, when read and not empty. */
  continuationToken?: string;
  /** `NextContinuationToken`, when read and not empty. */
  nextContinuationToken?: string;
}

/**
 * Reads a list page (see {@link decodeListPageParts}) and the token elements
 * the cloud's model keeps, `tokens`; an empty token reads as absent.
 *
 * @throws {@link XmlFormatError} as {@link decodeListPageParts} does.
 */
export function decodeInventoryListPage<C>(
  xml: string,
  roots: readonly string[],
  decodeConfiguration: (content: XmlNode, where: string) => C,
  tokens: readonly ("ContinuationToken" | "NextContinuationToken")[],
): InventoryListPage<C> {
  const { content, configurations, isTruncated } = decodeListPageParts(xml, roots, decodeConfiguration);
  const page: InventoryListPage<C> = { configurations, isTruncated };
  for (const name of tokens) {
    const token = optionalText(child(content, name));
    if (token !== undefined)
      page[name === "ContinuationToken" ? "continuationToken" : "nextContinuationToken"] = token;
  }
  return page;
}

/**
 * The `[key, element]` table of an `<Error>` document's fields: each element
 * is its key with the first letter in upper case, unless `names` says
 * otherwise (OSS's `ec` is `EC`).
 */
export function errorFields<K extends string>(
  keys: readonly K[],
  names: Partial<Record<K, string>> = {},
): readonly (readonly [K, string])[] {
  return keys.map((key) => [key, names[key] ?? key.charAt(0).toUpperCase() + key.slice(1)] as const);
}

/**
 * Reads the named fields of an `<Error>` document; never throws. `fields`
 * pairs each result key with its element name. Returns `{}` for anything that
 * is not an XML `<Error>` document (an empty body, an HTML page from a proxy,
 * garbage); empty and unlisted elements are left out.
 */
export function decodeErrorFields<K extends string>(
  xml: string,
  fields: readonly (readonly [K, string])[],
): Partial<Record<K, string>> {
  try {
    const doc = parseXml(xml);
    if (doc.root !== "Error") return {};
    const out: Partial<Record<K, string>> = {};
    for (const [key, name] of fields) {
      const value = text(child(doc.content, name));
      if (value !== "") out[key] = value;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The day of a monthly schedule, `Schedule/<element>` (COS `MonthlyDate`,
 * OSS `DayOfMonth`): absent or blank reads as absent; its range is the
 * rules' to judge.
 *
 * @throws {@link XmlFormatError} naming `where` when it is not a whole number.
 */
export function decodeScheduleDay(content: XmlNode, element: string, where: string): number | undefined {
  return decodeInteger(
    child(child(content, "Schedule"), element),
    `${where}/Schedule/${element}`,
    "a whole day of the month",
    false,
  );
}

/** `<Schedule>` with the frequency first, then the cloud's other elements (left out when absent). */
export function encodeSchedule(frequency: string, more: readonly XmlPart[]): string {
  return el("Schedule", [el("Frequency", frequency), ...more]);
}

/** An integer element, or nothing when `value` is undefined. */
export function optionalNumberEl(name: string, value: number | undefined): XmlPart {
  return value === undefined ? undefined : el(name, String(value));
}

/** The items of a comma-separated list element, blanks dropped; `undefined` for an absent or empty one. */
export function decodeCommaList(node: XmlNode | undefined): string[] | undefined {
  const items = text(node)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return items.length > 0 ? items : undefined;
}

/**
 * The elements of a configuration's content that a codec does not read, as
 * slash paths (`Filter/And/Foo`), and the ones it reads once that are
 * repeated (`Schedule/Frequency (repeated)`). `known` lists the paths of the
 * leaf elements the codec reads (a container is known when a known path
 * starts with it); `repeatable` the ones it reads as lists. Text beside
 * elements is ignored. The emulator refuses such a body rather than store it
 * without them.
 */
export function unknownElements(
  content: XmlNode,
  known: readonly string[],
  repeatable: readonly string[],
): string[] {
  const found: string[] = [];
  const isKnown = (path: string): boolean => known.some((k) => k === path || k.startsWith(`${path}/`));
  const visit = (node: XmlNode, path: string): void => {
    if (typeof node !== "object" || Array.isArray(node)) return;
    for (const [name, value] of Object.entries(node)) {
      if (name === "#text" || value === undefined) continue;
      const at = path === "" ? name : `${path}/${name}`;
      if (!isKnown(at)) {
        found.push(at);
        continue;
      }
      const items = asArray(value);
      if (items.length > 1 && !repeatable.includes(at)) found.push(`${at} (repeated)`);
      for (const item of items) visit(item, at);
    }
  };
  visit(content, "");
  return found;
}
