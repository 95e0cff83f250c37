/**
 * The cos side of the engine benchmark: a Pulumi program (plain JavaScript
 * once built, so Pulumi compiles no TypeScript) declaring `BENCH_ENGINE_COUNT`
 * `cos.BucketInventory` jobs on one bucket. `bench/engine.ts` copies its
 * build (`dist/bench/programs/cos.js`) into a project as `index.js`, so it
 * loads the package by name, as a user's program does.
 */
import * as inventory from "pulumi-bucket-inventory";
import { declareJobs, jobArgs } from "./job";

declareJobs((name) => new inventory.cos.BucketInventory(name, jobArgs(name)));
