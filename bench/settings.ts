/**
 * The settings the bench gives the service, in one place.
 *
 * ACCOUNT_STATE_READ_OFF is the hook case 1 (and case 3) need: the environment that turns the
 * authorizer's account-state read off. This build has no such read and no such flag, so it is
 * empty; when the read lands, put its flag here (e.g. `{ AUTHORIZER_ACCOUNT_STATE: 'off' }`).
 * Cases 1 and 3 count DynamoDB requests per authorization, so a flag that is missing or does not
 * take effect is reported in the table rather than silently timed.
 */
export const ACCOUNT_STATE_READ_OFF: NodeJS.ProcessEnv = {};

export const TABLE_NAME = 'serverless-auth-bench';
export const JWT_ISSUER = 'https://auth.bench/dev';
export const JWT_AUDIENCE = 'serverless-auth';

/** The authorizer cases make accounts at this cost; it does not enter their timing. */
export const SETUP_BCRYPT_COST = 4;
/** Case 4's cost: the local default, and what DESIGN.md's figures are for. */
export const LOGIN_BCRYPT_COST = 10;
