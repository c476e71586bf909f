import type { Role } from './painel-users.repo.ts';

/** E-mails are compared trimmed and in lowercase everywhere in the painel. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How a papel reads inside a sentence. */
export const papelNomes: Record<Role, string> = { admin: 'administrador', editor: 'editor', leitor: 'leitor' };
