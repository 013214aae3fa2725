/**
 * The settings the bench gives the service, in one place. There is no setting that turns the
 * authorizer's account-state read off, and there must not be one in a deployed auth service:
 * cases 1 and 3 build the production handler code around an AuthorizerService whose read is a
 * constant (bench/cases/authorizer-hs256.ts).
 */
export const TABLE_NAME = 'serverless-auth-bench';
export const JWT_ISSUER = 'https://auth.bench/dev';
export const JWT_AUDIENCE = 'serverless-auth';

/** The authorizer cases make accounts at this cost; it does not enter their timing. */
export const SETUP_BCRYPT_COST = 4;
/** Case 4's cost: the local default (`npm start`). */
export const LOGIN_BCRYPT_COST = 10;
/**
 * Case 4 makes a few dozen wrong-password logins for one name: with the default 5 that name would
 * lock and the timed logins would answer 429. The counter is still read and written on every login.
 */
export const LOGIN_MAX_ATTEMPTS = 100;
