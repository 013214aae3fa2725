import { authorizationServerMetadata } from '../lib/auth/metadata';
import { config } from '../lib/dependencies/config';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

export const handler = httpHandler(async (event) =>
  json(200, authorizationServerMetadata(config().issuer, event), { 'Cache-Control': 'public, max-age=300' }),
);
