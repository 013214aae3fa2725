// Four projects: unit (no I/O), handlers (real handlers on DynamoDB Local), e2e (the service
// as `npm start` runs it, over HTTP), browser (the hosted pages in Debian's Chromium, driven by
// playwright-core, against an `npm start` of their own). `npm test` runs all four.
const transform = {
  // The pages' browser script (imported only as `./browser/main.ts?browser-script`) is its bundle's text.
  '^.+/lib/pages/browser/.+\\.ts$': '<rootDir>/test/support/browser-script-transform.js',
  '^.+\\.css$': '<rootDir>/test/support/text-transform.js',
  '^.+\\.ts$': 'ts-jest',
  // jose (the independent JOSE verifier in tests) ships only ES modules; jest 29 runs CommonJS,
  // so its files are transpiled like ours.
  '^.+/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } }],
  '^.+\\.ya?ml$': '<rootDir>/test/support/yaml-transform.js',
};
const common = {
  transform,
  moduleNameMapper: { '^\\./browser/(.+)\\?browser-script$': '<rootDir>/lib/pages/browser/$1' },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/env.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'handlers',
      testMatch: ['<rootDir>/test/handlers/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/dynamodb-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/dynamodb-global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/service-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/service-global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/browser-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/browser-global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/browser-timeout.ts'],
    },
  ],
};
