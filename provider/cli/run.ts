/**
 * `bucket-inventory run`: a one-shot inventory run outside Pulumi, through the
 * same checks, clients and credentials (environment variables, see
 * `../engine/settings`) as `cos.InventoryRun` / `oss.InventoryRun`.
 *
 * The run's arguments are the resources' (`bucket`, `region`, `inventoryId`,
 * `includedObjectVersions`, `filter`, `optionalFields`, `destination`, OSS
 * `autoDelete`), from a JSON file (`--config`) and/or flags; flags win.
 */
import * as fs from "fs";
import { cloudDialects } from "../engine/dialects";
import { generatedRunId } from "../engine/run";
import { cosRunDialect, ossRunDialect } from "../engine/run-dialects";
import { NO_CONFIG } from "../engine/settings";

/** The `run` subcommand's help text. */
export const RUN_USAGE = `Usage: bucket-inventory run --cloud cos|oss --bucket <name> [options]

Starts a one-shot inventory report now (COS: POST /?inventory; OSS: a
configuration with frequency Once) and prints where the report will land.

Options:
  --cloud cos|oss              Required.
  --bucket <name>              Source bucket (COS: <name>-<appid>).
  --region <region>            Default: env TENCENTCLOUD_REGION / ALICLOUD_REGION.
  --id <id>                    Run id; default run-<YYYYMMDDhhmmss>-<4 hex>.
  --config <file.json>         Arguments as JSON, as the InventoryRun resource takes
                               them (destination, filter, optionalFields, ...).
  --destination-bucket <name>  destination.bucket
  --destination-prefix <p>     destination.prefix
  --account-id <id>            destination.accountId (OSS: required)
  --role-arn <arn>             destination.roleArn (OSS: required)
  --prefix <p>                 filter.prefix
  --fields <a,b,...>           optionalFields, comma-separated
  --versions All|Current       includedObjectVersions
  --auto-delete true|false     OSS: delete the configuration after the run (default true)
  --json                       Print the result as one JSON object.
  -h, --help                   Show this help.

Credentials and endpoints come from the environment, as for the resources:
TENCENTCLOUD_SECRET_ID/KEY (or COS_SECRET_ID/KEY), ALICLOUD_ACCESS_KEY/SECRET_KEY
(or OSS_ACCESS_KEY_ID/SECRET), BUCKET_INVENTORY_COS_ENDPOINT / _OSS_ENDPOINT.
Exit status: 0 started, 1 the cloud refused or failed, 2 usage or invalid arguments.`;

/** Flags that take a value, and where each goes in the arguments. */
const VALUE_FLAGS: Readonly<Record<string, (args: Record<string, unknown>, v: string) => void>> = {
  "--bucket": (a, v) => (a.bucket = v),
  "--region": (a, v) => (a.region = v),
  "--id": (a, v) => (a.inventoryId = v),
  "--destination-bucket": (a, v) => (destination(a).bucket = v),
  "--destination-prefix": (a, v) => (destination(a).prefix = v),
  "--account-id": (a, v) => (destination(a).accountId = v),
  "--role-arn": (a, v) => (destination(a).roleArn = v),
  "--prefix": (a, v) => (a.filter = { ...(object(a.filter) ?? {}), prefix: v }),
  "--fields": (a, v) => (a.optionalFields = v.split(",").filter((f) => f !== "")),
  "--versions": (a, v) => (a.includedObjectVersions = v),
  "--auto-delete": (a, v) => (a.autoDelete = v === "true" ? true : v === "false" ? false : v),
};

function object(x: unknown): Record<string, unknown> | undefined {
  return typeof x === "object" && x !== null && !Array.isArray(x)
    ? (x as Record<string, unknown>)
    : undefined;
}

function destination(a: Record<string, unknown>): Record<string, unknown> {
  const d = { ...(object(a.destination) ?? {}) };
  a.destination = d;
  return d;
}

/** What `run` was asked to do, after parsing. */
interface RunRequest {
  cloud: "cos" | "oss";
  args: Record<string, unknown>;
  json: boolean;
}

/** A usage problem: the message, for exit status 2. */
class RunUsageError extends Error {}

function parse(argv: readonly string[]): RunRequest | "help" {
  const flags = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--json") {
      json = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (flag !== "--cloud" && flag !== "--config" && !(flag in VALUE_FLAGS)) {
      throw new RunUsageError(`unknown option "${arg}"`);
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new RunUsageError(`${flag} needs a value`);
    if (flags.has(flag)) throw new RunUsageError(`${flag} given more than once`);
    flags.set(flag, value);
  }
  const cloud = flags.get("--cloud");
  if (cloud !== "cos" && cloud !== "oss") throw new RunUsageError('--cloud must be "cos" or "oss"');
  let args: Record<string, unknown> = {};
  const file = flags.get("--config");
  if (file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new RunUsageError(`--config ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const o = object(parsed);
    if (o === undefined) throw new RunUsageError(`--config ${file}: must hold a JSON object of arguments`);
    args = { ...o };
  }
  for (const [flag, value] of flags) VALUE_FLAGS[flag]?.(args, value);
  return { cloud, args, json };
}

/**
 * Runs `bucket-inventory run` with the arguments after `run`; resolves with the
 * exit status (0 started, 1 the cloud refused or failed, 2 usage or invalid arguments).
 */
export async function runInventoryCommand(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let request: RunRequest | "help";
  try {
    request = parse(argv);
  } catch (e) {
    if (!(e instanceof RunUsageError)) throw e;
    err(`error: ${e.message}`);
    err('Run "bucket-inventory run --help" for usage.');
    return 2;
  }
  if (request === "help") {
    out(RUN_USAGE);
    return 0;
  }
  const dialects = cloudDialects(() => NO_CONFIG);
  const dialect = request.cloud === "cos" ? cosRunDialect(dialects) : ossRunDialect(dialects);
  const { inputs, failures } = dialect.check(request.args);
  if (failures.length > 0) {
    for (const f of failures) err(`error: ${f.property}: ${f.reason}`);
    return 2;
  }
  const now = new Date();
  const runId = typeof inputs.inventoryId === "string" ? inputs.inventoryId : generatedRunId("run", now);
  try {
    const result = await dialect.start(inputs, runId, now);
    const report = {
      cloud: request.cloud,
      region: inputs.region,
      bucket: inputs.bucket,
      ...result,
      ...(request.cloud === "oss" ? { autoDelete: inputs.autoDelete } : {}),
      startedAt: now.toISOString(),
    };
    if (request.json) {
      out(JSON.stringify(report));
    } else {
      for (const [k, v] of Object.entries(report)) if (v !== undefined) out(`${k}: ${String(v)}`);
    }
    return 0;
  } catch (e) {
    err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
