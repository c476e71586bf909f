import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedHeader, startSmtpStandIn } from '../../../test/support/smtp-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople, type SeedPerson } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { appClient, CODE, operadoraAt, outboxOf, startFlow } from './recuperacao.test-support.ts';

/**
 * The code by e-mail over real SMTP: a local `smtp-server` (test/support/smtp-server.ts), Ponte configured
 * with `PONTE_SMTP_URL` (credentials in the URL, checked by the server), the message parsed and
 * its code used to finish the flow; then the new password logs in at the operator.
 */

const SMTP_USER = 'ponte';
const SMTP_PASS = 'segredo-smtp-9f2c';
const FROM = 'Operadora Teste <nao-responda@operadora.test>';

/** Splits a single-part message into headers and its decoded text body. */
function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  let text = body;
  if (encoding === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    text = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers, text };
}

/** The text/plain part of a multipart/alternative message. */
function textPartOf(raw: string): { headers: Map<string, string>; text: string } {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  if (!boundary) return parseMessage(raw);
  const part = raw.split(`--${boundary}`).find((p) => /content-type:\s*text\/plain/i.test(p));
  if (!part) throw new Error('no text/plain part');
  return parseMessage(part.replace(/^\r?\n/, ''));
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('recuperar senha: the code by e-mail over real SMTP', () => {
  let sim: OperatorSimulator;
  let smtp: Awaited<ReturnType<typeof startSmtpStandIn>>;
  let t: TestApp;
  const lucas = seedPeople[2] as SeedPerson;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    smtp = await startSmtpStandIn({ user: SMTP_USER, pass: SMTP_PASS });
    t = await createTestApp({ env: { PONTE_SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${smtp.port}`, PONTE_SMTP_FROM: FROM } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await sim?.close();
  });

  it('the code arrives at the SMTP server, finishes the flow, and the new password logs in', async () => {
    const op = await operadoraAt(t, sim);
    const app = appClient(t, op.appId);
    const id = await startFlow(app, lucas);

    const sent = await app.enviar(id, '2');
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().enviadoPara).toBe('l***a@e***.com');
    await until(() => smtp.received.length === 1, 'the e-mail');

    const [mail] = smtp.received;
    expect(mail!.user).toBe(SMTP_USER);
    expect(mail!.to).toEqual([lucas.emailSecundario]);
    expect(mail!.from).toBe('nao-responda@operadora.test');
    const { headers } = parseMessage(mail!.raw);
    expect(headers.get('to')).toBe(lucas.emailSecundario);
    expect(headers.get('from')).toBe(FROM);
    // No Envio de mensagens settings: the default subject (modelos.ts), {{app}} as the cliente's name.
    expect(decodedHeader(mail!.raw, 'Subject')).toBe('Operadora Teste: código para recuperar sua senha');
    // Text and HTML bodies (modules/mensagens): the code is read from the text part.
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const { text } = textPartOf(mail!.raw);
    const code = CODE.exec(text)?.[1];
    expect(code, text).toMatch(/^\d{6}$/);
    expect(text).toContain('Seu código para recuperar a senha');
    expect(text).toContain('10 minutos');
    // With SMTP configured nothing goes to the development outbox.
    expect(await outboxOf(t, op).all()).toEqual([]);

    expect((await app.verificar(id, code!)).statusCode).toBe(200);
    const done = await app.novaSenha(id, { novaSenha: 'lucas-por-email-1', confirmacaoNovaSenha: 'lucas-por-email-1' });
    expect(done.statusCode, done.body).toBe(200);

    const withNew = await app.login({ login: lucas.cpf, senha: 'lucas-por-email-1' });
    expect(withNew.statusCode, withNew.body).toBe(201);
    expect(withNew.json().perfil.usuario.chaveUnica).toBe(lucas.cpf);
    const withOld = await app.login({ login: lucas.cpf, senha: lucas.senha });
    expect(withOld.statusCode).toBe(422);
    expect(withOld.json().error.code).toBe('OPERATOR_REFUSED');
  });

  it('each send is a separate e-mail with a fresh code; only the latest verifies', async () => {
    const op = await operadoraAt(t, sim);
    const app = appClient(t, op.appId);
    const id = await startFlow(app, lucas);
    const before = smtp.received.length;
    let codes: string[] = [];
    // Two draws can repeat the same six digits (one in a million): draw again then.
    while (codes.length < 2 || codes[0] === codes[1]) {
      expect((await app.enviar(id, '1')).statusCode).toBe(202);
      await until(() => smtp.received.length > before + codes.length, 'the e-mail');
      codes = smtp.received.slice(before).map((m) => CODE.exec(textPartOf(m.raw).text)![1]!).slice(-2);
    }
    expect(smtp.received.slice(before).every((m) => m.to[0] === lucas.email)).toBe(true);
    expect((await app.verificar(id, codes[0]!)).statusCode).toBe(400);
    expect((await app.verificar(id, codes[1]!)).statusCode).toBe(200);
  });
});
