// Three test layers, each a jest project selected by `--selectProjects`:
//   unit         pure code, no I/O beyond memory
//   integration  our code against local servers the tests start and stop
//   e2e          the real Pulumi CLI on throwaway stacks
// Type errors are caught by `npm run typecheck`, so ts-jest only transpiles.
const path = require("path");

const root = path.resolve(__dirname, "..");
const transform = {
  "^.+\\.ts$": ["ts-jest", { tsconfig: path.join(root, "tsconfig.json"), diagnostics: false }],
};

function layer(name, extra) {
  return {
    displayName: name,
    rootDir: root,
    testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
    testEnvironment: "node",
    transform,
    moduleFileExtensions: ["ts", "js", "json"],
    // Throwaway Pulumi projects (e2e, benchmarks) hold package.json files jest must not index.
    modulePathIgnorePatterns: [
      "<rootDir>/.e2e/",
      "<rootDir>/.bench/",
      "<rootDir>/.tools/",
      "<rootDir>/dist/",
    ],
    ...extra,
  };
}

module.exports = {
  projects: [
    layer("unit", {}),
    layer("integration", {}),
    layer("e2e", { setupFilesAfterEnv: ["<rootDir>/tests/e2e/setup.ts"], slowTestThreshold: 600 }),
  ],
};
