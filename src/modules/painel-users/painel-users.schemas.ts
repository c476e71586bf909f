import { z } from 'zod';
import { roles, type PainelUser, type Role } from './painel-users.repo.ts';

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email({ error: 'Informe um e-mail válido.' }));
export const senhaNovaSchema = z
  .string()
  .min(10, 'A senha deve ter ao menos 10 caracteres.')
  .max(200, 'A senha deve ter no máximo 200 caracteres.');
export const nomeSchema = z.string().trim().min(1, 'Informe o nome.').max(120, 'O nome deve ter no máximo 120 caracteres.');
export const roleSchema = z.enum(roles, { error: 'O papel deve ser admin, editor ou leitor.' });

export const loginBodySchema = z.object({
  email: z.string().trim().min(1, 'Informe o e-mail.').max(254),
  senha: z.string().min(1, 'Informe a senha.').max(200),
});

export const painelUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  nome: z.string(),
  administradorPlataforma: z.boolean(),
  ativo: z.boolean(),
  ultimoAcessoEm: z.number().int().nullable(),
  criadoEm: z.number().int(),
});

export const memberSchema = painelUserSchema.extend({ papel: roleSchema });

export const sessionSchema = z.object({
  usuario: painelUserSchema,
  clientes: z.array(z.object({ id: z.string(), nome: z.string(), papel: roleSchema })),
  csrfToken: z.string().describe('Envie no header X-CSRF-Token em toda requisição que altera dados'),
});

/** Where a member's listing says what the requester may do to them. */
export const memberListItemSchema = memberSchema.extend({
  podeAlterarStatus: z.boolean().describe('Se quem pediu a lista pode desativar ou reativar esta conta'),
});

/**
 * Adds someone to the cliente. An e-mail without a user creates one (`nome` required; without
 * `senha` the server generates one); an e-mail that already has a user adds that user (no `senha`).
 */
export const createMemberBodySchema = z.object({
  email: emailSchema,
  nome: nomeSchema.optional().describe('Obrigatório quando o e-mail ainda não tem usuário; ignorado quando já tem'),
  senha: senhaNovaSchema.optional().describe('Senha inicial; sem ela a Ponte gera uma e a devolve uma única vez. Não envie para um usuário que já existe'),
  papel: roleSchema,
});

export const createdMemberSchema = memberSchema.extend({
  usuarioExistente: z.boolean().describe('true: o e-mail já tinha usuário, que foi incluído no cliente com a senha que já tinha'),
  senhaGerada: z.string().nullable().describe('A senha inicial gerada pela Ponte — exibida só nesta resposta; null quando foi informada ou o usuário já existia'),
});

export const changeRoleBodySchema = z.object({ papel: roleSchema });
export const setActiveBodySchema = z.object({ ativo: z.boolean({ error: 'Informe ativo: true ou false.' }) });

export function toPainelUserDto(user: PainelUser) {
  return {
    id: user.id,
    email: user.email,
    nome: user.nome,
    administradorPlataforma: user.isPlatformAdmin,
    ativo: user.active,
    ultimoAcessoEm: user.lastLoginAt,
    criadoEm: user.createdAt,
  };
}

export function toMemberDto(member: PainelUser & { role: Role }) {
  return { ...toPainelUserDto(member), papel: member.role };
}
