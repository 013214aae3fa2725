/**
 * `serverless offline` only. serverless-offline cannot call an authorizer by ARN: it logs a
 * warning and serves the route with no authorizer at all. So, under `serverless offline`, each
 * `authorizer: { arn: ... }` here is replaced by a local function that runs serverless-auth's
 * own authorizer code (local/shared-authorizer.ts) with the settings of the `npm start` running on
 * AUTH_PORT (default 3000): its DynamoDB Local, signing key and issuer, read from the file that
 * run keeps (scripts/local-run.js). Revocation is then as immediate as when deployed. Nothing
 * changes for `serverless package` or deploy: they import the real authorizer's ARN.
 *
 * CommonJS: Serverless loads plugins with require().
 */
const { readRun } = require('../../scripts/local-run');

const FUNCTION_KEY = 'sharedAuthorizer';

class OfflineSharedAuthorizer {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { initialize: () => this.initialize() };
  }

  initialize() {
    if (this.serverless.processedInput.commands[0] !== 'offline') return;
    const port = process.env.AUTH_PORT || '3000';
    const run = readRun(port);
    if (run === undefined) {
      throw new this.serverless.classes.Error(
        `Start serverless-auth first (\`npm start\` in the repository root): this service's routes are checked by its authorizer, which runs here with that run's settings, and none runs on port ${port} (set AUTH_PORT to its port).`,
      );
    }
    const { service, provider } = this.serverless.service;
    const functions = this.serverless.service.functions;
    for (const fn of Object.values(functions)) {
      for (const event of fn.events ?? []) {
        const authorizer = event.http?.authorizer;
        if (authorizer === undefined || typeof authorizer !== 'object' || authorizer.arn === undefined) continue;
        event.http.authorizer = {
          name: FUNCTION_KEY,
          type: 'request',
          identitySource: authorizer.identitySource,
          resultTtlInSeconds: authorizer.resultTtlInSeconds,
        };
      }
    }
    functions[FUNCTION_KEY] = {
      handler: 'local/shared-authorizer.handler',
      name: `${service}-${provider.stage}-${FUNCTION_KEY}`,
      environment: run.environment,
      events: [],
    };
  }
}

module.exports = OfflineSharedAuthorizer;
