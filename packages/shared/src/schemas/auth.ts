import { z } from 'zod';
import { Uuid } from './common.js';
import { text } from './text.js';

export const Role = z.enum(['user', 'admin']);
export type Role = z.infer<typeof Role>;

/** Normalised e-mail: trimmed and lower-cased before it is stored or compared. */
export const Email = text({ max: 254 })
  .pipe(z.email({ error: 'must be a valid e-mail address' }))
  .transform((s) => s.toLowerCase());

/** A password we accept: 10..128 characters with at least one letter and one digit. */
export const Password = text({ max: 128, trim: false })
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
  .refine((s) => /[A-Za-z]/.test(s) && /\d/.test(s), 'must contain a letter and a digit');

export const RegisterInput = z
  .object({
    email: Email,
    password: Password,
    name: text({ min: 1, minMessage: 'is required', max: 100 }),
  })
  .strict()
  .meta({ id: 'RegisterInput' });
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z
  .object({
    email: Email,
    // Lenient on tab and line breaks so no password stored before text() became unusable;
    // NUL is refused (bcrypt would stop reading at it).
    password: text({ min: 1, max: 128, trim: false, multiline: true }),
  })
  .strict()
  .meta({ id: 'LoginInput' });
export type LoginInput = z.infer<typeof LoginInput>;

/** The signed-in account as the API shows it. */
export const User = z
  .object({ id: Uuid, email: z.string(), name: z.string(), role: Role })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;
