import { signingKeySource } from '../auth/signing-keys';
import { logger } from '../logger';
import { config, once } from './config';

/** The signing and verification keys, and the JWKS; an SSM-held key is fetched on first use. */
export const signingKeys = once(() => signingKeySource(config(), { logger }));
