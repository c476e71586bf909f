import { z } from 'zod';
import { campoDtoSchema, formFinalidades } from '../forms/forms.schemas.ts';

/** The beneficiary app API (`/app/v1`): what the app sends and reads, shared by its routes and read by the demo app. */

/** The header that names the app (and so the cliente and instância) on every /app/v1 call. */
export const APP_ID_HEADER = 'x-app-id';

export const appHeaders = z.object({ [APP_ID_HEADER]: z.string().trim().min(1).max(64).describe('Id público do app na instância (painel → cliente → instâncias)') });
export const camposSchema = z.record(z.string().max(64), z.unknown()).refine((v) => Object.keys(v).length <= 50, 'No máximo 50 campos.');

export const funcionalidadeSchema = z.object({ chaveFuncionalidade: z.string(), nome: z.string(), bloqueada: z.boolean(), mensagemBloqueio: z.string().nullable() });
export const sessionViewSchema = z.object({
  perfil: z.object({
    usuario: z.object({ login: z.string(), chaveUnica: z.string(), nome: z.string().nullable(), esquemaCor: z.string().nullable() }),
    contratos: z.array(z.object({ numeroContrato: z.string(), tipo: z.string(), descricaoContrato: z.string().nullable() })),
    beneficiarios: z.array(z.object({ chaveUnica: z.string(), nome: z.string(), dataNascimento: z.string() })),
  }),
  funcionalidades: z.array(funcionalidadeSchema),
  expiraEm: z.number().int(),
});

export const sistemaSchema = z.object({
  plataforma: z.string().trim().min(1).max(40).describe('ios, android, web…'),
  versaoApp: z.string().trim().min(1).max(40),
  dispositivo: z.string().trim().max(120).nullable().default(null),
  idioma: z.string().trim().max(20).nullable().default(null),
  geolocalizacao: z
    .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), precisaoMetros: z.number().min(0).max(1e7).nullable().default(null) })
    .nullable()
    .default(null)
    .describe('Só quando o usuário permitiu'),
});

export const configurationSchema = z.object({
  cliente: z.object({ nome: z.string() }),
  instancia: z.object({ numero: z.union([z.literal(1), z.literal(2)]), nome: z.string() }),
  formularios: z.record(z.enum(formFinalidades), z.object({ nome: z.string(), campos: z.array(campoDtoSchema).describe('Campos do Formbuilder, na ordem em que o app os mostra') })),
  recursos: z.object({ login: z.boolean(), recuperarSenha: z.boolean(), trocarSenha: z.boolean() }),
  funcionalidades: z.array(z.object({ chaveFuncionalidade: z.string(), nome: z.string() })),
});

export const sessaoCriadaSchema = sessionViewSchema.extend({ token: z.string().describe('Envie como Authorization: Bearer <token>') });
export const funcionalidadeAbertaSchema = z.object({ url: z.string(), expiraEm: z.number().int() });
export const mensagemSchema = z.object({ mensagem: z.string() });

// Recuperar senha (recuperacao.routes.ts).
export const contatoOfuscadoSchema = z.object({
  id: z.string().describe('Escolha do contato no envio do código'),
  tipo: z.enum(['email', 'celular']),
  ofuscado: z.string().describe('O contato ofuscado: a Ponte nunca devolve o contato completo ao app'),
});
export const recuperacaoIniciadaSchema = z.object({ id: z.string(), contatos: z.array(contatoOfuscadoSchema) });
export const codigoEnviadoSchema = z.object({ enviadoPara: z.string(), expiraEm: z.number().int().describe('Epoch ms em que o código expira') });
export const codigoVerificadoSchema = z.object({ verificado: z.literal(true) });
