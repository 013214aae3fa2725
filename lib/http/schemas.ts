import { z } from 'zod';
import { ROLES } from '../routes';

/** Request schemas. Unknown fields are refused (so nobody can slip `roles` into a sign-up). */
const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

// Lengths here are outer bounds only; lib/accounts/identifiers.ts applies the real rules.
const username = text(256);
const password = text(1024);

export const CredentialsSchema = z.strictObject({ username, password });

/** RFC 6749 §4.3. Public clients may send client_id (and an empty client_secret); both are ignored. */
export const PasswordGrantSchema = z.strictObject({
  grant_type: z.literal('password'),
  username,
  password,
  scope: z.string().max(1024).optional(),
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(256).optional(),
});

// Generous: anything not shaped like our refresh tokens is an invalid_grant, not a schema error.
const refreshToken = text(8192);

export const RefreshSchema = z.strictObject({ refresh_token: refreshToken });

/** RFC 6749 §6, with the same allowances for public clients as the password grant. */
export const RefreshGrantSchema = z.strictObject({
  grant_type: z.literal('refresh_token'),
  refresh_token: refreshToken,
  scope: z.string().max(1024).optional(),
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(256).optional(),
});

export const LogoutSchema = z.strictObject({ refresh_token: refreshToken.optional() });

export const PasswordChangeSchema = z.strictObject({ current_password: password, new_password: password });

export const GrantTypeSchema = z.looseObject({ grant_type: text(64) });

const roles = z
  .array(z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` }))
  .min(1, 'must hold at least one role')
  .max(ROLES.length * 2);

export const NewUserSchema = z.strictObject({ username, password, roles });

export const UnlockSchema = z.strictObject({ username });

export const UserChangesSchema = z
  .strictObject({ roles: roles.optional(), disabled: z.boolean().optional() })
  .refine((changes) => changes.roles !== undefined || changes.disabled !== undefined, 'give roles or disabled');

export const ListUsersQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});
