import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { EmailSender, Remetente } from '../recuperacao/mensageiro.ts';
import type { Role } from './painel-users.repo.ts';
import { papelNomes } from './painel-users.rules.ts';

/** How the painel reaches people by e-mail: the mailer of the recovery codes and where links point. */
export type PainelMail = {
  /** SMTP when configured; the development outbox (filed under `Remetente`) otherwise, outside production. */
  sender: EmailSender;
  /** `https://ponte.operadora.com.br/painel`: links start with it. Undefined: no link can be made. */
  painelUrl: string | undefined;
};

/**
 * The painel's public address for links, from `PONTE_PUBLIC_URL` — never from the request's Host
 * header, which the caller chooses (a "forgot password" asked with `Host: evil.example` must not
 * mail a link to evil.example). Outside production it defaults to this machine.
 */
export function painelUrlFrom(config: Pick<Config, 'publicUrl' | 'nodeEnv' | 'port'>): string | undefined {
  if (config.publicUrl) return `${config.publicUrl.replace(/\/+$/, '')}/painel`;
  return config.nodeEnv === 'production' ? undefined : `http://localhost:${config.port}/painel`;
}


/**
 * The token travels in the fragment (`#…`): browsers never send it to a server, so it stays out
 * of access logs, proxies and `Referer` headers; the painel page reads it and posts it.
 */
function link(mail: PainelMail, page: 'convite' | 'redefinir-senha', token: string): string {
  if (!mail.painelUrl) {
    throw new AppError('SERVICE_UNAVAILABLE', 'Os e-mails do painel precisam do endereço público da Ponte: defina PONTE_PUBLIC_URL (ex.: https://ponte.operadora.com.br) e reinicie.');
  }
  return `${mail.painelUrl}/${page}#${token}`;
}

export function conviteEmail(mail: PainelMail, input: { to: string; token: string; clienteNome: string; papel: Role; convidadoPor: string; validadeHoras: number }) {
  const url = link(mail, 'convite', input.token);
  return {
    to: input.to,
    subject: `Convite para o painel da Ponte — ${input.clienteNome}`,
    text:
      `Olá!\n\n${input.convidadoPor} convidou você para acessar ${input.clienteNome} no painel da Ponte como ${papelNomes[input.papel]}.\n\n` +
      `Para aceitar, abra o link abaixo. Se você ainda não usa o painel, vai escolher o seu nome e a sua senha; se já usa, entre com a sua conta e confirme.\n\n` +
      `${url}\n\n` +
      `O link vale por ${input.validadeHoras} horas e só pode ser usado uma vez. Se você não esperava este convite, ignore este e-mail: nada muda sem você aceitar.\n`,
  };
}

export function redefinicaoEmail(mail: PainelMail, input: { to: string; token: string; validadeMinutos: number }) {
  const url = link(mail, 'redefinir-senha', input.token);
  return {
    to: input.to,
    subject: 'Redefinir a sua senha do painel da Ponte',
    text:
      `Olá!\n\nRecebemos um pedido para redefinir a senha do painel da Ponte desta conta. Para escolher uma nova senha, abra o link abaixo:\n\n` +
      `${url}\n\n` +
      `O link vale por ${input.validadeMinutos} minutos e só pode ser usado uma vez; ao usá-lo, todas as sessões abertas desta conta são encerradas. ` +
      `Se você não pediu isto, ignore este e-mail: a sua senha continua a mesma.\n`,
  };
}

export type { Remetente };
