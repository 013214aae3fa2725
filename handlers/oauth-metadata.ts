import { authorizationServerMetadata } from '../lib/auth/metadata';
import { config } from '../lib/dependencies/config';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

const issuer = config().issuer; // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) =>
  json(200, authorizationServerMetadata(issuer, event), { 'Cache-Control': 'public, max-age=300' }),
);
