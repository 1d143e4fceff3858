import type { Queryable } from '../../platform/db.js';
import type { Role, User } from '@ticketing/shared';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
}

/** Row → API `User` (never the hash). */
export function toUser(row: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function insertUser(db: Queryable, u: { email: string; name: string; passwordHash: string; role?: Role }): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO NOTHING
     RETURNING id, email, name, role, password_hash`,
    [u.email, u.name, u.passwordHash, u.role ?? 'user'],
  );
  return rows[0] ?? null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('SELECT id, email, name, role, password_hash FROM users WHERE email = $1', [email]);
  return rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('SELECT id, email, name, role, password_hash FROM users WHERE id = $1', [id]);
  return rows[0] ?? null;
}
