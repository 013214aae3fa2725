// Offline only (offline-shared-authorizer.js): serverless-auth's own authorizer, the code its
// deployed function runs, built into this service for serverless-offline.
export { handler } from '../../../handlers/authorizer';
