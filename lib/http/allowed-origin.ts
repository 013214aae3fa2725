import { CORS_ORIGIN_VARIABLE, corsOriginFrom } from './cors';

/**
 * CORS_ALLOWED_ORIGIN, read at INIT by every function that imports it (through httpHandler, all
 * of them): a wrong value stops the function there, naming the variable.
 */
export const ALLOWED_ORIGIN = corsOriginFrom(process.env[CORS_ORIGIN_VARIABLE]);
