import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Log account ids and reason codes, never a username+password pair,
 * a token, a hash or a secret.
 */
export const logger = new Logger({ serviceName: 'serverless-auth' });
