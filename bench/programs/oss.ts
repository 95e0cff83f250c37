/**
 * The oss side of the engine benchmark, the twin of `cos.ts`: declares
 * `BENCH_ENGINE_COUNT` `oss.BucketInventory` jobs on one OSS bucket, every
 * argument set. Copied (built) into its project as `index.js`.
 */
import * as inventory from "pulumi-bucket-inventory";
import { declareJobs, ossJobArgs } from "./job";

declareJobs((name) => new inventory.oss.BucketInventory(name, ossJobArgs(name)));
