import type { Transporter } from 'nodemailer';
import { AppError } from '../../platform/errors.ts';
import type { CaixaDeSaida } from './caixa-de-saida.ts';

/** The cliente and instância a message is sent for (the outbox files it under them). */
export type Remetente = { clienteId: string; instancia: 1 | 2 };

/**
 * Sends a text message to a phone number (digits, with area code). A real provider plugs in here;
 * one that ignores `from` satisfies the interface as `send(to, text)`.
 */
export interface SmsProvider {
  send(to: string, text: string, from: Remetente): Promise<void>;
}

export type EmailMessage = { to: string; subject: string; text: string };

/** Sends an e-mail. */
export interface EmailSender {
  send(message: EmailMessage, from: Remetente): Promise<void>;
}

const SMTP_TIMEOUT_MS = 10_000;

/** E-mail over SMTP with nodemailer: one connection per message (codes are rare), bounded waits. */
export function createSmtpEmailSender(options: { url: string; from: string }): EmailSender {
  // nodemailer is loaded on the first e-mail: most processes never send one.
  let transport: Promise<Transporter> | undefined;
  const transportOf = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        url: options.url,
        connectionTimeout: SMTP_TIMEOUT_MS,
        greetingTimeout: SMTP_TIMEOUT_MS,
        socketTimeout: SMTP_TIMEOUT_MS,
      }),
    ));
  return {
    async send(message) {
      try {
        await (await transportOf()).sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
      } catch (error) {
        // The SMTP error may name the server or the account: kept in the cause (logs), not shown.
        throw new AppError('SERVICE_UNAVAILABLE', 'Não foi possível enviar o e-mail com o código agora. Tente novamente em instantes ou escolha outro contato.', { cause: error });
      }
    },
  };
}

/** Development: the e-mail lands in the outbox instead of a mail server. */
export function createOutboxEmailSender(outbox: CaixaDeSaida): EmailSender {
  return {
    send: (message, from) => outbox.guardar({ ...from, canal: 'email', destino: message.to, texto: `${message.subject}\n\n${message.text}` }),
  };
}

/** Development SMS provider: writes to the outbox, visible in the painel. */
export function createOutboxSmsProvider(outbox: CaixaDeSaida): SmsProvider {
  return {
    send: (to, text, from) => outbox.guardar({ ...from, canal: 'sms', destino: to, texto: text }),
  };
}

/** A channel with nothing behind it: fails loudly instead of dropping the code somewhere silent. */
function unavailable(what: string) {
  return async () => {
    throw new AppError('SERVICE_UNAVAILABLE', `O envio de código por ${what} não está configurado neste servidor. Escolha outro contato ou fale com a sua operadora.`);
  };
}

/**
 * The platform's own channels: e-mail for the painel (invitations, password links) over
 * `PONTE_SMTP_URL`, and what recovery codes fall back to when an instância configured no provider
 * of its own in "Envio de mensagens" (modules/mensagens): without SMTP, development and test write
 * to the outbox and production refuses with a clear error; SMS goes through `sms` when given,
 * otherwise the outbox outside production and a clear error in it.
 */
export function createMensageiro(options: { nodeEnv: 'development' | 'test' | 'production'; smtpUrl: string | undefined; smtpFrom: string; outbox: CaixaDeSaida; sms?: SmsProvider }) {
  const production = options.nodeEnv === 'production';
  const email: EmailSender = options.smtpUrl
    ? createSmtpEmailSender({ url: options.smtpUrl, from: options.smtpFrom })
    : production
      ? { send: unavailable('e-mail') }
      : createOutboxEmailSender(options.outbox);
  const sms: SmsProvider = options.sms ?? (production ? { send: unavailable('SMS') } : createOutboxSmsProvider(options.outbox));
  return { email, sms };
}

export type Mensageiro = ReturnType<typeof createMensageiro>;

/**
 * Delivers a recovery code: the instância's SMS provider or e-mail sender and templates
 * (modules/mensagens/envio-mensagens.service.ts), falling back to this file's channels when the
 * instância configured none. Throws VALIDATION_FAILED for a number that cannot be an SMS
 * destination and SERVICE_UNAVAILABLE (503, in Portuguese) when the provider failed.
 */
export type EntregaDeCodigos = {
  enviarCodigo(input: { app: { clienteId: string; clienteNome: string; instancia: 1 | 2 }; canal: 'sms' | 'email'; destino: string; codigo: string; validadeMinutos: number; correlationId?: string | undefined }): Promise<void>;
};
