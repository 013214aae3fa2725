import { authorizerService } from '../lib/dependencies/authorizer';
import { authorizerHandler } from '../lib/http/authorizer-handler';

/** REQUEST authorizer: Allow/Deny policy, or Error('Unauthorized'); see lib/http/authorizer-handler.ts. */
export const handler = authorizerHandler(authorizerService());
