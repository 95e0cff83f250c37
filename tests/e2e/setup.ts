// e2e tests drive the real Pulumi CLI: each command takes seconds.
jest.setTimeout(15 * 60 * 1000);
