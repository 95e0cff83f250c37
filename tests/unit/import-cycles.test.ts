// Imports inside provider/ must point one way: a cycle makes load order
// matter and hides which module owns a contract. Type-only and dynamic
// imports count too, since they tie the same modules together.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const PROVIDER = path.resolve(__dirname, "../../provider");

/** Every `.ts` file under `dir`, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The file a relative specifier names (`./x` → `x.ts` or `x/index.ts`), if it is a source file. */
function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => known.has(candidate));
}

/** The graph of relative imports between the given files. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    // The compiler's own pre-scan: skips comments and strings, sees `import()` and `require()`.
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles
      .map((ref) => ref.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => resolveRelative(file, name, known))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One cycle in the graph (first node repeated at the end), or undefined when there is none. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = onPath.indexOf(node);
    if (at >= 0) return [...onPath.slice(at), node];
    if (done.has(node)) return undefined;
    onPath.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("provider/ import graph", () => {
  const files = sourceFiles(PROVIDER);
  const graph = importGraph(files);

  it("sees the files and their imports", () => {
    // Guards the check itself: an empty graph would pass vacuously.
    expect(files.length).toBeGreaterThan(20);
    const server = graph.get(path.join(PROVIDER, "emulator/server.ts")) ?? [];
    expect(server).toContain(path.join(PROVIDER, "emulator/contract.ts"));
    expect(server).toContain(path.join(PROVIDER, "emulator/dialects/cos.ts"));
  });

  it("finds a cycle when one exists", () => {
    const a = "/a.ts";
    const b = "/b.ts";
    expect(
      findCycle(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([a, b, a]);
    expect(
      findCycle(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toBeUndefined();
  });

  it("has no import cycle", () => {
    const cycle = findCycle(graph);
    expect(cycle?.map((file) => path.relative(PROVIDER, file)).join(" -> ")).toBeUndefined();
  });
});
