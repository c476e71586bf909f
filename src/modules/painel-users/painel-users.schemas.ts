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
  clientes: z.array(z.object({ id: z.string(), codigo: z.number().int().describe('Código numérico do cliente (idCliente dos tokens temporários)'), nome: z.string(), papel: roleSchema })),
  csrfToken: z.string().describe('Envie no header X-CSRF-Token em toda requisição que altera dados'),
});

/** Where a member's listing says what the requester may do to them. */
export const memberListItemSchema = memberSchema.extend({
  podeAlterarStatus: z.boolean().describe('Se quem pediu a lista pode desativar ou reativar esta conta'),
});

/** Invites an e-mail into the cliente: no name, no password — the person chooses their own. */
export const conviteBodySchema = z.object({ email: emailSchema, papel: roleSchema });

export const conviteStatusSchema = z.enum(['pendente', 'expirado']);

/** An invitation as the cliente's admins see it: the e-mail and papel only, nothing of any account. */
export const conviteSchema = z.object({
  id: z.string(),
  email: z.string(),
  papel: roleSchema,
  status: conviteStatusSchema.describe('pendente: o link ainda vale; expirado: reenvie para gerar um novo'),
  expiraEm: z.number().int(),
  criadoEm: z.number().int(),
  convidadoPor: z.string().nullable().describe('Nome de quem convidou (null se a conta não existe mais)'),
});

/** The answer to inviting: the same shape whatever the e-mail (account or not, in another cliente or not). */
export const conviteCriadoSchema = z.object({
  convite: conviteSchema.omit({ convidadoPor: true }).extend({ status: z.literal('pendente') }),
});

const tokenSchema = z.string().trim().min(1, 'O link está incompleto: abra de novo o link recebido por e-mail.').max(200, 'O link está incorreto: abra de novo o link recebido por e-mail.');

export const conviteTokenBodySchema = z.object({ token: tokenSchema });

/** What the invitation link shows before accepting. */
export const conviteConsultaSchema = z.object({
  cliente: z.object({ nome: z.string() }),
  email: z.string(),
  papel: roleSchema,
  expiraEm: z.number().int(),
  contaExistente: z.boolean().describe('true: entre com a conta deste e-mail para aceitar; false: informe nome e senha para criá-la'),
});

export const aceitarConviteBodySchema = z.object({
  token: tokenSchema,
  nome: nomeSchema.optional().describe('Para criar a conta (e-mail sem conta no painel)'),
  senha: senhaNovaSchema.optional().describe('Para criar a conta (e-mail sem conta no painel)'),
});

export const trocarSenhaBodySchema = z.object({
  senhaAtual: z.string().min(1, 'Informe a senha atual.').max(200),
  senhaNova: senhaNovaSchema,
});

export const esqueciSenhaBodySchema = z.object({ email: emailSchema });

export const redefinirSenhaBodySchema = z.object({ token: tokenSchema, senhaNova: senhaNovaSchema });

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
