// Signing in to the demo bank: a development token from `POST /auth/dev-token` (the server runs
// with --dev) for a role and, where the role needs one, the person or branch, then a typed client
// with that token. The token stays in this tab's sessionStorage so a reload keeps the session.
import { createKequnClient, type KequnClient, type OutputOf } from '@kequn/client';
import { rolePolicies, type Role } from '@kequn/api';
import { z } from 'zod';
import type { PlaygroundConfig } from './config.js';

export type Me = OutputOf<'auth.me'>;

/** One person (or desk) of the demo bank one can sign in as. */
export interface DemoUser {
  readonly key: string;
  readonly role: Role;
  readonly label: string;
  readonly request: { role: Role; managerId?: string; branchId?: string };
}

const relationshipManagerRoles = new Set([
  'counter_wealth_manager',
  'vip_wealth_manager',
  'customer_manager',
]);

export const demoRoles: readonly Role[] = [
  'manager',
  'branch_head',
  'operations_manager',
  'head_office',
  'analyst',
  'auditor',
];

export function roleLabel(role: Role, locale: 'zh-CN' | 'en'): string {
  return rolePolicies[role].label[locale];
}

/** The demo bank's users of a role: its relationship managers, branch heads, … or one desk. */
export function usersOf(role: Role, directory: PlaygroundConfig['directory']): DemoUser[] {
  const branchName = new Map(directory.branches.map((branch) => [branch.id, branch.name]));
  const person = (staff: PlaygroundConfig['directory']['staff'][number]) =>
    `${staff.name} · ${staff.id} · ${branchName.get(staff.branchId) ?? staff.branchId}`;
  if (role === 'manager') {
    return directory.staff
      .filter((staff) => relationshipManagerRoles.has(staff.role))
      .map((staff) => ({
        key: staff.id,
        role,
        label: person(staff),
        request: { role, managerId: staff.id },
      }));
  }
  if (role === 'branch_head' || role === 'operations_manager') {
    return directory.staff
      .filter((staff) => staff.role === role)
      .map((staff) => ({
        key: staff.id,
        role,
        label: person(staff),
        request: { role, branchId: staff.branchId, managerId: staff.id },
      }));
  }
  return [{ key: `${role}-demo`, role, label: `${role}-demo`, request: { role } }];
}

const storedSessionSchema = z.object({ token: z.string(), userKey: z.string() });
const STORAGE_KEY = 'kequn-playground-session';

export interface Session {
  readonly client: KequnClient;
  readonly me: Me;
  readonly userKey: string;
}

async function sessionFor(apiUrl: string, token: string, userKey: string): Promise<Session> {
  const client = createKequnClient({ baseUrl: apiUrl, token });
  const me = await client.call('auth.me', {});
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token, userKey }));
  return { client, me, userKey };
}

export async function signIn(apiUrl: string, user: DemoUser): Promise<Session> {
  const anonymous = createKequnClient({ baseUrl: apiUrl });
  const issued = await anonymous.call('auth.devToken', { body: user.request });
  return sessionFor(apiUrl, issued.token, user.key);
}

/** The session of this tab, if its token is still accepted. */
export async function resumeSession(apiUrl: string): Promise<Session | undefined> {
  const stored = storedSessionSchema.safeParse(
    JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null'),
  );
  if (!stored.success) return undefined;
  try {
    return await sessionFor(apiUrl, stored.data.token, stored.data.userKey);
  } catch {
    signOut();
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function may(session: Session, permission: string): boolean {
  return session.me.permissions.includes(permission);
}
