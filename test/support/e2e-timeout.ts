// Jest reads `testTimeout` only from the root config, not per project: the e2e tests get theirs
// here. A first request to each function in serverless-offline pays that function's cold start.
jest.setTimeout(30_000);
