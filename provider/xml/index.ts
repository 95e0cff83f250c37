/**
 * Cloud-neutral XML plumbing shared by the COS and OSS dialects: one configured
 * parser, text escaping, a tiny deterministic element builder, and tolerant
 * readers for the loosely-shaped trees that fast-xml-parser produces.
 *
 * The parser is deliberately lossy in the same ways the official SDKs are
 * (attributes and namespace prefixes dropped, every value kept as a string),
 * so the dialect codecs see the same tree whatever spelling the service, the
 * docs or an SDK used.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * A parsed XML node: the text of a leaf element, an element holding child
 * elements, or a list when an element name repeats under the same parent.
 */
export type XmlNode = string | XmlElement | XmlNode[];

/**
 * An element with child elements, keyed by local name (namespace prefixes
 * removed). Mixed content keeps its text under `#text`.
 */
export interface XmlElement {
  readonly [name: string]: XmlNode | undefined;
}

/** A parsed document: the name of its single root element and that element's content. */
export interface XmlDocument {
  /** Local name of the root element, e.g. `InventoryConfiguration`. */
  readonly root: string;
  /** The root element's content (`""` for an empty root). */
  readonly content: XmlNode;
}

/** Where in the input a syntax error was found (1-based). */
export interface XmlErrorPosition {
  /** Line number. */
  line?: number;
  /** Column number. */
  column?: number;
}

/**
 * The input is not well-formed XML, or is well-formed but not the document we
 * expected (wrong root, a required element missing, a value of the wrong
 * kind). The emulator answers these with 400; clients treat them as a broken
 * response.
 */
export class XmlFormatError extends Error {
  /** Line of the syntax error, when the validator reported one. */
  readonly line?: number;
  /** Column of the syntax error, when the validator reported one. */
  readonly column?: number;

  constructor(message: string, position: XmlErrorPosition = {}) {
    super(message);
    this.name = "XmlFormatError";
    this.line = position.line;
    this.column = position.column;
  }
}

// One parser for everything. Options, and why:
// - ignoreAttributes: neither dialect carries data in attributes; `xmlns` is noise.
// - parseTagValue false: ids such as "0123" and flags such as "True" must reach
//   the codec untouched, as strings (the node SDK parses the same way).
// - trimValues: pretty-printed doc samples put whitespace between elements.
// - removeNSPrefix: `<s3:Id>` and `<Id>` are the same element to us.
// - htmlEntities: besides the five XML entities, decode numeric references
//   (`&#34;`, `&#xA;`), which Go's encoding/xml emits for quotes and newlines.
//   The library decodes in one pass, so `&amp;#34;` correctly stays `&#34;`.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: true,
});

// A leading `<?xml ...>` is cut off before validation. Besides the normal
// `<?xml version="1.0"?>`, this accepts the vendor doc samples' broken
// `<?xml version = "1.0" encoding = "UTF-8">` (no closing `?`), which the
// validator would otherwise reject although the body after it is fine.
const LEADING_DECLARATION = /^\uFEFF?\s*<\?xml(?=[\s?])[^>]*>/;

/**
 * Parses an XML document into an {@link XmlDocument}.
 *
 * Tolerates an XML declaration (even the docs' malformed one), a byte-order
 * mark, default namespaces and prefixes, comments and processing
 * instructions. Rejects, with {@link XmlFormatError}: empty input, anything
 * the fast-xml-parser validator finds malformed, a DOCTYPE (no real body has
 * one, and refusing it rules out entity-expansion attacks on the emulator),
 * and more than one root element.
 */
export function parseXml(xml: string): XmlDocument {
  if (typeof xml !== "string") {
    throw new XmlFormatError("XML input must be a string");
  }
  const body = xml.replace(LEADING_DECLARATION, "");
  if (body.trim() === "") {
    throw new XmlFormatError("the XML document is empty");
  }
  if (/<!DOCTYPE/i.test(body)) {
    throw new XmlFormatError("DOCTYPE declarations are not accepted");
  }
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    // The line is counted after the declaration was cut, which only ever
    // removes text before the first line break in practice.
    throw new XmlFormatError(`malformed XML: ${msg} (line ${line}, column ${col})`, {
      line,
      column: col,
    });
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch (err) {
    // e.g. the library's guard against element names such as `__proto__`.
    throw new XmlFormatError(`malformed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isElement(parsed as XmlNode)) {
    throw new XmlFormatError("the XML document has no root element");
  }
  const names = Object.keys(parsed as XmlElement);
  const root = names[0];
  const content = root === undefined ? undefined : (parsed as XmlElement)[root];
  // The validator accepts `<a/><b/>`; one document has one root.
  if (names.length !== 1 || root === undefined || content === undefined || Array.isArray(content)) {
    throw new XmlFormatError("the XML document must have exactly one root element");
  }
  return { root, content };
}

// fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD,
// which would silently change a prefix or tag read back from the service.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes bytes as UTF-8, strictly: a leading byte-order mark is dropped, and
 * any invalid sequence is an error rather than a U+FFFD replacement.
 *
 * @throws {@link XmlFormatError} naming the offset of the first invalid byte.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new XmlFormatError(
      `the body is not valid UTF-8 (first invalid byte at offset ${firstInvalidUtf8(bytes)})`,
    );
  }
}

/** Offset of the start of the first byte sequence that is not UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // Bisect for the longest prefix that is UTF-8 so far (stream: true lets a
  // sequence be cut at the end): the byte after it is where decoding fails.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // When that byte interrupts a sequence begun earlier, the sequence is what is invalid.
  let k = lo - 1;
  while (k >= 0 && lo - k < 4 && ((bytes[k] ?? 0) & 0xc0) === 0x80) k--;
  const lead = bytes[k] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return k >= 0 && k + length > lo ? k : lo;
}

/**
 * The local name of a document's root element (namespace prefix removed), by
 * a cheap scan of the prolog: a byte-order mark, blanks, the XML declaration
 * (even the docs' malformed one), processing instructions and comments are
 * skipped. `undefined` when the text does not start like an XML document
 * (a DOCTYPE included). Only the start is read, so a large body costs nothing;
 * whether the rest is well-formed is for {@link parseXml} to say.
 */
export function xmlRootName(xml: string): string | undefined {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i] ?? "")) i++;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf(">", i);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else {
      break;
    }
  }
  const m = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]/.exec(xml.slice(i, i + 256));
  return m?.[2];
}

// Code points XML 1.0 cannot carry at all, not even as a character reference:
// C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Escapes `& < > " '` for use as element text (or attribute values).
 *
 * This matches what the COS node SDK's builder emits, so our bodies stay
 * byte-identical to the SDK's for the same values. Throws
 * {@link XmlFormatError} for characters XML 1.0 cannot represent (most
 * control characters, lone surrogates): sending them would only earn a
 * MalformedXML from the service, so fail before the request instead.
 */
export function escapeXmlText(s: string): string {
  const bad = NOT_XML_CHAR.exec(s);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new XmlFormatError(`text contains U+${code}, which XML 1.0 cannot represent`);
  }
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** One child passed to {@link el}: a built element, or a skipped slot (`undefined`, `null`, `false`, `""`). */
export type XmlPart = string | false | null | undefined;

// Element names come from our own code, but a typo would produce a broken
// body that only the server notices; check them (ASCII names are all we use).
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/**
 * Builds one element, with no declaration and no whitespace, so output is
 * deterministic (byte-stable bodies make Content-MD5 and tests exact).
 *
 * - `el("Id", "a&b")` → `<Id>a&amp;b</Id>`: a string is text, escaped.
 * - `el("Filter", [el("Prefix", "p"), undefined])` → `<Filter><Prefix>p</Prefix></Filter>`:
 *   an array holds already-built children, joined in order; falsy slots are
 *   skipped so optional children can be written inline.
 * - `el("SSE-COS")` or `el("SSE-COS", "")` → `<SSE-COS></SSE-COS>`: empty
 *   elements are written open/close, as the COS SDK writes them.
 */
export function el(name: string, content: string | readonly XmlPart[] = ""): string {
  if (!ELEMENT_NAME.test(name)) {
    throw new XmlFormatError(`invalid element name ${JSON.stringify(name)}`);
  }
  const inner = typeof content === "string" ? escapeXmlText(content) : content.filter(Boolean).join("");
  return `<${name}>${inner}</${name}>`;
}

/** `el(name, text)` when `text` is defined, otherwise `""` (the element is left out). */
export function optionalEl(name: string, text: string | undefined): string {
  return text === undefined ? "" : el(name, text);
}

/**
 * `el(name, text)` when `text` is defined and not empty, otherwise `""`. For
 * optional elements whose empty form means the same as absence on the wire
 * (decoders read `<Prefix></Prefix>` as no prefix), so neither is written.
 */
export function nonEmptyEl(name: string, text: string | undefined): string {
  return text === undefined || text === "" ? "" : el(name, text);
}

/** Whether `x` is an element with children (not text, not a repeated list). */
export function isElement(x: XmlNode | undefined): x is XmlElement {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** `x` as a list: `[]` when absent, itself when already repeated, else a one-item list. */
export function asArray(x: XmlNode | undefined): XmlNode[] {
  if (x === undefined) return [];
  return Array.isArray(x) ? x : [x];
}

/**
 * The first occurrence of a possibly repeated element. Documentation samples
 * repeat single elements (COS lists show `IsTruncated` twice); a decoder that
 * wants one value takes the first rather than failing.
 */
export function firstOf(x: XmlNode | undefined): XmlNode | undefined {
  return Array.isArray(x) ? x[0] : x;
}

/** The child element `name` of `x` (of its first occurrence, if repeated), or `undefined`. */
export function child(x: XmlNode | undefined, name: string): XmlNode | undefined {
  const node = firstOf(x);
  if (!isElement(node) || !Object.prototype.hasOwnProperty.call(node, name)) return undefined;
  return node[name];
}

/** Whether `x` (its first occurrence, if repeated) has a child element `name`, even an empty one. */
export function hasChild(x: XmlNode | undefined, name: string): boolean {
  return child(x, name) !== undefined;
}

/**
 * The text of `x`: a leaf's string, the text part of mixed content, the first
 * occurrence's text when repeated, and `""` for anything else (absent, or an
 * element that only holds children).
 */
export function text(x: XmlNode | undefined): string {
  const node = firstOf(x);
  if (typeof node === "string") return node;
  if (isElement(node)) {
    const own = node["#text"];
    return typeof own === "string" ? own : "";
  }
  return "";
}

/**
 * Reads a boolean the way the services and SDKs spell it: `true`/`false` in
 * any letter case (`True` appears in COS samples), surrounding blanks
 * ignored. Anything else, including absence, is `undefined` so the caller
 * decides whether that is an error.
 */
export function bool(x: XmlNode | undefined): boolean | undefined {
  const v = text(x).trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/**
 * Whether `x` carries nothing: absent, empty text, or an element whose only
 * children are themselves blank (e.g. `<Filter/>`, `<Filter><And/></Filter>`).
 */
export function isBlank(x: XmlNode | undefined): boolean {
  if (x === undefined) return true;
  if (typeof x === "string") return x.trim() === "";
  if (Array.isArray(x)) return x.every(isBlank);
  return Object.keys(x).every((k) => isBlank(x[k]));
}

/**
 * Whether a text value reads back unchanged. The parser trims text (as the
 * SDKs' parsers do), so a value with blanks at either end would come back
 * different from what was written, and a resource declaring it would show a
 * change on every preview.
 */
export function survivesXmlText(value: string): boolean {
  return value === value.trim();
}

/** The reason given for a value that fails {@link survivesXmlText}. */
export function edgeBlankReason(property: string, value: string): string {
  return (
    `${property} ${JSON.stringify(value)} starts or ends with blanks, which XML readers (the SDKs' and ours) drop, ` +
    `so it would never read back as written; remove them`
  );
}
