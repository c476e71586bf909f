import type { EnvioMensagensTable, Executor } from '../../platform/db/schema.ts';
import type { Modelos } from './modelos.ts';

export const provedoresSms = ['nenhum', 'http', 'zenvia', 'twilio', 'sns'] as const;
export type ProvedorSms = (typeof provedoresSms)[number];

/** A header of the generic gateway; a secret one has its value only in the sealed secrets. */
export type HeaderGateway = { nome: string; secreto: boolean; valor?: string | undefined };

/** The SMS provider of an instância and its non-secret settings. `url` is the provider's address (presets: their API's base). */
export type SmsConfig =
  | { provedor: 'nenhum' }
  | { provedor: 'http'; url: string; metodo: 'POST' | 'PUT'; formato: 'json' | 'form'; corpo: string; headers: HeaderGateway[]; sucessoCampo: string | null; timeoutMs: number }
  | { provedor: 'zenvia'; url: string; remetente: string; timeoutMs: number }
  | { provedor: 'twilio'; url: string; accountSid: string; remetente: string; timeoutMs: number }
  | { provedor: 'sns'; url: string; regiao: string; accessKeyId: string; remetente: string | null; timeoutMs: number };

/** The sealed part of the SMS settings: the preset's token, or the generic gateway's secret header values by lowercase name. */
export type SmsSegredos = { token?: string | undefined; headers?: Record<string, string> | undefined };

export type EnvioConfig = {
  sms: SmsConfig;
  email: { remetenteNome: string | null; remetenteEndereco: string | null };
  modelos: Modelos;
  /** The origin the SMS secrets were sealed for (part of their associated data). */
  smsDestino: string | null;
};

export type EnvioMensagens = {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  config: EnvioConfig;
  smsSegredosSelado: string | null;
  smtpUrlSelado: string | null;
  updatedBy: string | null;
  createdAt: number;
  updatedAt: number;
};

function toEnvio(row: EnvioMensagensTable): EnvioMensagens {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    instancia: row.instancia as 1 | 2,
    config: JSON.parse(row.config_json) as EnvioConfig,
    smsSegredosSelado: row.sms_segredos_selado,
    smtpUrlSelado: row.smtp_url_selado,
    updatedBy: row.updated_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Each instância's messaging settings as stored (`envio_mensagens`). Every method takes an optional transaction. */
export function createEnvioMensagensRepo(db: Executor) {
  return {
    async find(clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<EnvioMensagens | undefined> {
      const row = await trx.selectFrom('envio_mensagens').selectAll().where('cliente_id', '=', clienteId).where('instancia', '=', instancia).executeTakeFirst();
      return row && toEnvio(row);
    },

    /** Inserts or replaces the settings of the cliente's instância (one row per instância). */
    async upsert(envio: EnvioMensagens, trx: Executor = db): Promise<void> {
      const values = {
        config_json: JSON.stringify(envio.config),
        sms_segredos_selado: envio.smsSegredosSelado,
        smtp_url_selado: envio.smtpUrlSelado,
        updated_by: envio.updatedBy,
        updated_at: envio.updatedAt,
      };
      await trx
        .insertInto('envio_mensagens')
        .values({ id: envio.id, cliente_id: envio.clienteId, instancia: envio.instancia, created_at: envio.createdAt, ...values })
        .onConflict((oc) => oc.columns(['cliente_id', 'instancia']).doUpdateSet(values))
        .execute();
    },
  };
}

export type EnvioMensagensRepo = ReturnType<typeof createEnvioMensagensRepo>;
