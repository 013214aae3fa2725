import { AuthorizerService } from '../auth/authorizer-service';
import { logger } from '../logger';
import { once } from './config';
import { sessionService } from './sessions';
import { accessTokens } from './tokens';

/**
 * The authorizer's composition root: config, keys, access tokens, the account and session
 * repositories (its one read) and nothing that hashes passwords.
 */
export const authorizerService = once(
  () => new AuthorizerService(accessTokens(), (token) => sessionService().tokenState(token), logger),
);
