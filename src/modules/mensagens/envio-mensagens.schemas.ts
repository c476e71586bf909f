import { z } from 'zod';
import { provedoresSms } from './envio-mensagens.repo.ts';
import { envioLimits } from './envio-mensagens.config.ts';
import type { EnvioMensagensService } from './envio-mensagens.service.ts';
import { modeloLimits, previaSms } from './modelos.ts';
import { enderecosPadrao } from './provedores-sms.ts';

/** "Envio de mensagens" as the painel sends and reads it. Secrets are write-only: the answer says only whether each is set. */
const url = z.string().trim().max(2048, 'A URL deve ter no máximo 2048 caracteres.');
const optionalUrl = url.nullable().optional().describe('Endereço da API; vazio usa o endereço oficial do provedor');
const secret = (what: string) => z.string().min(1, `Informe ${what}.`).max(4096, 'O valor deve ter no máximo 4096 caracteres.').optional().describe('Só de escrita: omitido mantém o valor guardado');
const timeoutMs = z
  .number()
  .int()
  .min(envioLimits.minTimeoutMs, `O tempo limite mínimo é ${envioLimits.minTimeoutMs} ms.`)
  .max(envioLimits.maxTimeoutMs, `O tempo limite máximo é ${envioLimits.maxTimeoutMs} ms (30 s).`)
  .optional();

export const smsBody = z.discriminatedUnion('provedor', [
  z.object({ provedor: z.literal('nenhum') }),
  z.object({
    provedor: z.literal('http'),
    url,
    metodo: z.enum(['POST', 'PUT']).default('POST'),
    formato: z.enum(['json', 'form']),
    corpo: z.string().min(1, 'Informe o corpo da requisição.').max(4000, 'O corpo deve ter no máximo 4000 caracteres.'),
    headers: z
      .array(
        z.object({
          nome: z.string().trim().min(1, 'Informe o nome do header.').max(128, 'O nome deve ter no máximo 128 caracteres.'),
          valor: z.string().max(4096, 'O valor deve ter no máximo 4096 caracteres.').optional(),
          secreto: z.boolean().default(false),
        }),
      )
      .max(envioLimits.maxHeaders, `No máximo ${envioLimits.maxHeaders} headers.`)
      .default([]),
    sucessoCampo: z.string().trim().max(200, 'O caminho deve ter no máximo 200 caracteres.').nullable().optional(),
    timeoutMs,
  }),
  z.object({ provedor: z.literal('zenvia'), url: optionalUrl, remetente: z.string().trim().min(1, 'Informe o remetente (from) do canal SMS.').max(64), apiToken: secret('o token da API'), timeoutMs }),
  z.object({
    provedor: z.literal('twilio'),
    url: optionalUrl,
    accountSid: z.string().trim().min(1, 'Informe o Account SID.').max(64),
    remetente: z.string().trim().min(1, 'Informe o número remetente (From) ou o Messaging Service SID.').max(64),
    authToken: secret('o Auth Token'),
    timeoutMs,
  }),
  z.object({
    provedor: z.literal('sns'),
    url: optionalUrl,
    regiao: z.string().trim().min(1, 'Informe a região.').max(32),
    accessKeyId: z.string().trim().min(1, 'Informe o Access Key ID.').max(128),
    secretAccessKey: secret('a Secret Access Key'),
    remetente: z.string().trim().max(11, 'O Sender ID tem no máximo 11 caracteres.').nullable().optional(),
    timeoutMs,
  }),
]);

export const modelosBody = z.object({
  sms: z.string().trim().min(1, 'Informe a mensagem do SMS.').max(modeloLimits.sms),
  emailAssunto: z.string().trim().min(1, 'Informe o assunto do e-mail.').max(modeloLimits.emailAssunto),
  emailTexto: z.string().trim().min(1, 'Informe o texto do e-mail.').max(modeloLimits.emailTexto),
});

export const envioMensagensBody = z.object({
  sms: smsBody,
  email: z.object({
    remetenteNome: z.string().trim().max(100, 'O nome deve ter no máximo 100 caracteres.').regex(/^[^\r\n<>"]*$/, 'O nome não pode conter quebras de linha, aspas nem < >.').nullable().optional(),
    remetenteEndereco: z.email('Informe um endereço de e-mail válido.').max(254).nullable().optional().or(z.literal('').transform(() => null)),
    smtpUrl: z.string().trim().max(2048).nullable().optional().describe('Só de escrita: uma URL substitui, null remove, omitido mantém'),
  }),
  modelos: modelosBody,
});

const contagemSchema = z.object({ codificacao: z.enum(['gsm7', 'ucs2']), caracteres: z.number().int(), limite: z.number().int(), segmentos: z.number().int(), texto: z.string() });

export const envioMensagensSchema = z.object({
  configurado: z.boolean(),
  app: z.string().describe('O nome do app nas mensagens ({{app}})'),
  sms: z.object({
    provedor: z.enum(provedoresSms),
    url: z.string().nullable(),
    urlPadrao: z.string().nullable().describe('O endereço oficial do provedor'),
    metodo: z.enum(['POST', 'PUT']).nullable(),
    formato: z.enum(['json', 'form']).nullable(),
    corpo: z.string().nullable(),
    headers: z.array(z.object({ nome: z.string(), secreto: z.boolean(), valor: z.string().nullable().describe('null para headers secretos: nunca são devolvidos') })),
    sucessoCampo: z.string().nullable(),
    remetente: z.string().nullable(),
    accountSid: z.string().nullable(),
    regiao: z.string().nullable(),
    accessKeyId: z.string().nullable(),
    timeoutMs: z.number().int(),
    segredoDefinido: z.boolean().describe('Se o token / Auth Token / Secret Access Key está guardado'),
  }),
  email: z.object({ remetenteNome: z.string().nullable(), remetenteEndereco: z.string().nullable(), smtpProprioDefinido: z.boolean() }),
  modelos: z.object({ sms: z.string(), emailAssunto: z.string(), emailTexto: z.string() }),
  previaSms: contagemSchema,
  atualizadoEm: z.number().int().nullable(),
});

export const testeBody = z.object({
  canal: z.enum(['sms', 'email']),
  destino: z.string().trim().min(1, 'Informe o número ou e-mail de destino.').max(254, 'O destino deve ter no máximo 254 caracteres.'),
});

export const testeSchema = z.object({
  ok: z.boolean(),
  canal: z.enum(['sms', 'email']),
  provedor: z.string(),
  destino: z.string().describe('Mascarado'),
  latenciaMs: z.number(),
  tentativas: z.number().int(),
  erro: z.string().nullable(),
});

type Lido = Awaited<ReturnType<EnvioMensagensService['get']>>;

export function toEnvioMensagensDto(lido: Lido): z.infer<typeof envioMensagensSchema> {
  const { config } = lido;
  const sms = config.sms;
  const pick = <K extends string>(key: K): string | null => ((sms as Record<string, unknown>)[key] as string | null | undefined) ?? null;
  return {
    configurado: lido.envio !== undefined,
    app: lido.app,
    sms: {
      provedor: sms.provedor,
      url: sms.provedor === 'nenhum' ? null : sms.url,
      urlPadrao: sms.provedor === 'zenvia' ? enderecosPadrao.zenvia : sms.provedor === 'twilio' ? enderecosPadrao.twilio : sms.provedor === 'sns' ? enderecosPadrao.sns(sms.regiao) : null,
      metodo: sms.provedor === 'http' ? sms.metodo : null,
      formato: sms.provedor === 'http' ? sms.formato : null,
      corpo: sms.provedor === 'http' ? sms.corpo : null,
      headers: sms.provedor === 'http' ? sms.headers.map((h) => ({ nome: h.nome, secreto: h.secreto, valor: h.secreto ? null : (h.valor ?? '') })) : [],
      sucessoCampo: sms.provedor === 'http' ? sms.sucessoCampo : null,
      remetente: pick('remetente'),
      accountSid: pick('accountSid'),
      regiao: pick('regiao'),
      accessKeyId: pick('accessKeyId'),
      timeoutMs: sms.provedor === 'nenhum' ? envioLimits.defaultTimeoutMs : sms.timeoutMs,
      segredoDefinido: lido.segredoSmsDefinido,
    },
    email: { remetenteNome: config.email.remetenteNome, remetenteEndereco: config.email.remetenteEndereco, smtpProprioDefinido: lido.smtpProprioDefinido },
    modelos: config.modelos,
    previaSms: previaSms(config.modelos.sms, lido.app),
    atualizadoEm: lido.envio?.updatedAt ?? null,
  };
}
