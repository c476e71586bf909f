import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { databaseKinds, openTestDatabase } from '../../../test/support/infrastructure.ts';
import { decodedHeader, startSmtpStandIn, type ReceivedMail } from '../../../test/support/smtp-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople, type SeedPerson } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { appClient, CODE, operadoraAt, startFlow, type Operadora } from '../recuperacao/recuperacao.test-support.ts';
import { contarSms } from './sms-texto.ts';
import { mascararTelefone, paraE164 } from './telefone.ts';

/**
 * Recovery codes in production mode through real local stand-ins of each provider: HTTP servers
 * on loopback that answer as Zenvia, Twilio, the Amazon SNS Query API and a generic gateway
 * would, asserting the request exactly as each documents it, and an SMTP server for the
 * cliente's own mail server. The painel API configures it all per cliente and instância.
 */

type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
type Reply = { status: number; body: string; contentType?: string; hang?: boolean };

/** One loopback server playing every HTTP provider; `replies` are consumed in order, then `fallback`. */
async function startStandIn() {
  const received: Received[] = [];
  const replies: Reply[] = [];
  let fallback: Reply = { status: 200, body: '{}' };
  const hanging: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies.shift() ?? fallback;
      if (reply.hang) {
        hanging.push(() => res.destroy());
        return;
      }
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    replies,
    setFallback: (reply: Reply) => (fallback = reply),
    reset() {
      received.length = 0;
      replies.length = 0;
      fallback = { status: 200, body: '{}' };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const h of hanging) h();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ana = seedPeople[0] as SeedPerson;
const CELULAR = '3';
const EMAIL = '1';
const TWILIO_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const modelos = (sms = '{{app}}: codigo {{codigo}}, vale {{validade}} min.') => ({
  sms,
  emailAssunto: '{{app}} - seu código',
  emailTexto: 'Olá!\n\nSeu código no {{app}} é:\n\n{{codigo}}\n\nVale por {{validade}} minutos.',
});

describe('envio de mensagens in production, against local stand-ins', () => {
  let sim: OperatorSimulator;
  let stand: Awaited<ReturnType<typeof startStandIn>>;
  let t: TestApp;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    stand = await startStandIn();
    t = await createTestApp({ env: { NODE_ENV: 'production', PONTE_OUTBOUND_ALLOWLIST: '127.0.0.0/8' } });
  });
  afterAll(async () => {
    await t?.close();
    await stand?.close();
    await sim?.close();
  });

  const put = (op: Operadora, payload: unknown, headers = op.painel) =>
    t.app.inject({ method: 'PUT', url: `/painel/api/clientes/${op.clienteId}/instancias/1/envio-mensagens`, headers, payload: payload as object });
  const configure = async (op: Operadora, sms: unknown, email: unknown = {}) => {
    const response = await put(op, { sms, email, modelos: modelos() });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const logRows = (clienteId: string) => t.database.db.selectFrom('outbound_logs').selectAll().where('cliente_id', '=', clienteId).where('operacao', '=', 'envioCodigo').orderBy('created_at').execute();

  /** Starts a flow, sends to `contato`, and returns the send's answer. */
  async function send(op: Operadora, contato: string) {
    const app = appClient(t, op.appId);
    const id = await startFlow(app, ana);
    return { app, id, sent: await app.enviar(id, contato) };
  }

  it('Zenvia: the documented request, then the code from it finishes the recovery; logged without code or number, counted in /metrics', async () => {
    const op = await operadoraAt(t, sim);
    const dto = await configure(op, { provedor: 'zenvia', url: stand.url, remetente: 'operadora', apiToken: 'zenvia-token-secreto' });
    expect(dto.sms).toMatchObject({ provedor: 'zenvia', segredoDefinido: true, remetente: 'operadora' });
    expect(JSON.stringify(dto)).not.toContain('zenvia-token-secreto');
    stand.reset();
    stand.setFallback({ status: 200, body: JSON.stringify({ id: 'zv-msg-1', from: 'operadora', to: '5511990000001' }) });

    const { app, id, sent } = await send(op, CELULAR);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(stand.received).toHaveLength(1);
    const [req] = stand.received;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/v2/channels/sms/messages');
    expect(req!.headers['x-api-token']).toBe('zenvia-token-secreto');
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body);
    expect(Object.keys(body).sort()).toEqual(['contents', 'from', 'to']);
    expect(body.from).toBe('operadora');
    expect(body.to).toBe(paraE164(ana.celular)!.slice(1));
    expect(body.contents).toHaveLength(1);
    expect(body.contents[0].type).toBe('text');
    const code = CODE.exec(body.contents[0].text)![1]!;
    expect(body.contents[0].text).toBe(`Operadora Teste: codigo ${code}, vale 10 min.`);

    expect((await app.verificar(id, code)).statusCode).toBe(200);
    expect((await app.novaSenha(id, { novaSenha: 'ana-por-sms-1', confirmacaoNovaSenha: 'ana-por-sms-1' })).statusCode).toBe(200);
    expect((await app.login({ login: ana.cpf, senha: 'ana-por-sms-1' })).statusCode).toBe(201);

    await vi.waitFor(async () => expect(await logRows(op.clienteId)).toHaveLength(1), { timeout: 5000, interval: 20 });
    const [row] = await logRows(op.clienteId);
    expect(row).toMatchObject({ resultado: 'sucesso', status: 200, instancia: 1, url: `${stand.url}/v2/channels/sms/messages` });
    expect(JSON.parse(row!.request_body_json!)).toEqual({ canal: 'sms', provedor: 'zenvia', destino: mascararTelefone(paraE164(ana.celular)!), tentativa: 1 });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(ana.celular.slice(-8));
    expect(stored).not.toContain('zenvia-token-secreto');

    // The painel's central de logs filters by the new operation.
    const leitor = (await loginAs(t, { clienteId: op.clienteId, role: 'leitor' })).headers;
    const logs = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${op.clienteId}/logs?instancia=1&operacao=envioCodigo`, headers: { cookie: leitor.cookie } });
    expect(logs.statusCode, logs.body).toBe(200);
    expect(logs.json().itens).toHaveLength(1);

    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/ponte_mensagens_envios_total\{canal="sms",provedor="zenvia",resultado="sucesso"\} [1-9]/);
  });

  it('Twilio: form-encoded To/From/Body with basic auth on the Messages resource', async () => {
    const op = await operadoraAt(t, sim);
    await configure(op, { provedor: 'twilio', url: stand.url, accountSid: TWILIO_SID, remetente: '+15005550006', authToken: 'twilio-auth-token' });
    stand.reset();
    stand.setFallback({ status: 201, body: JSON.stringify({ sid: 'SM123', status: 'queued' }) });
    const { sent } = await send(op, CELULAR);
    expect(sent.statusCode, sent.body).toBe(202);
    const [req] = stand.received;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe(`/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from(`${TWILIO_SID}:twilio-auth-token`).toString('base64')}`);
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req!.body);
    expect([...form.keys()].sort()).toEqual(['Body', 'From', 'To']);
    expect(form.get('To')).toBe(paraE164(ana.celular));
    expect(form.get('From')).toBe('+15005550006');
    expect(form.get('Body')).toMatch(/^Operadora Teste: codigo \d{6}, vale 10 min\.$/);
  });

  it('Amazon SNS: the AWS SDK publishes to the configured endpoint (Query API, signed), PhoneNumber in E.164', async () => {
    const op = await operadoraAt(t, sim);
    await configure(op, { provedor: 'sns', url: stand.url, regiao: 'sa-east-1', accessKeyId: 'AKIAPONTETESTE', secretAccessKey: 'sns-secret-key', remetente: 'Operadora' });
    stand.reset();
    stand.setFallback({
      status: 200,
      contentType: 'text/xml',
      body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-msg-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
    });
    const { sent } = await send(op, CELULAR);
    expect(sent.statusCode, sent.body).toBe(202);
    const [req] = stand.received;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/');
    expect(String(req!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAPONTETESTE\/\d{8}\/sa-east-1\/sns\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/);
    expect(String(req!.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(req!.body);
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('Version')).toBe('2010-03-31');
    expect(form.get('PhoneNumber')).toBe(paraE164(ana.celular));
    expect(form.get('Message')).toMatch(/^Operadora Teste: codigo \d{6}, vale 10 min\.$/);
    const attrs = Object.fromEntries([1, 2].map((n) => [form.get(`MessageAttributes.entry.${n}.Name`), form.get(`MessageAttributes.entry.${n}.Value.StringValue`)]));
    expect(attrs).toEqual({ 'AWS.SNS.SMS.SMSType': 'Transactional', 'AWS.SNS.SMS.SenderID': 'Operadora' });
    expect(req!.body).not.toContain('sns-secret-key');
  });

  it('generic gateway: method, headers (a secret one), JSON template and a success field', async () => {
    const op = await operadoraAt(t, sim);
    const dto = await configure(op, {
      provedor: 'http',
      url: `${stand.url}/api/sms`,
      metodo: 'PUT',
      formato: 'json',
      corpo: '{"numero":"{{destino}}","mensagem":"{{texto}}","tipo":"token"}',
      headers: [
        { nome: 'X-Conta', valor: 'operadora-1', secreto: false },
        { nome: 'Authorization', valor: 'Bearer gw-secreto', secreto: true },
      ],
      sucessoCampo: 'resultado.enviado',
    });
    expect(dto.sms.headers).toEqual([
      { nome: 'X-Conta', secreto: false, valor: 'operadora-1' },
      { nome: 'Authorization', secreto: true, valor: null },
    ]);
    stand.reset();
    stand.setFallback({ status: 200, body: JSON.stringify({ resultado: { enviado: true } }) });
    const { sent } = await send(op, CELULAR);
    expect(sent.statusCode, sent.body).toBe(202);
    const [req] = stand.received;
    expect(req!.method).toBe('PUT');
    expect(req!.path).toBe('/api/sms');
    expect(req!.headers.authorization).toBe('Bearer gw-secreto');
    expect(req!.headers['x-conta']).toBe('operadora-1');
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body);
    expect(body).toEqual({ numero: paraE164(ana.celular), mensagem: expect.stringMatching(/^Operadora Teste: codigo \d{6}, vale 10 min\.$/), tipo: 'token' });

    // A 2xx whose success field is not true is a refusal (not retried): the app is told to pick another contact.
    stand.reset();
    stand.setFallback({ status: 200, body: JSON.stringify({ resultado: { enviado: false, motivo: 'saldo insuficiente' } }) });
    const refused = await send(op, CELULAR);
    expect(refused.sent.statusCode).toBe(503);
    expect(refused.sent.json().error.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.sent.json().error.message).toMatch(/escolha o e-mail/);
    expect(stand.received).toHaveLength(1);
  });

  it('generic gateway, form body: values URL-encoded', async () => {
    const op = await operadoraAt(t, sim);
    await configure(op, { provedor: 'http', url: `${stand.url}/envio`, metodo: 'POST', formato: 'form', corpo: 'to={{destino}}&msg={{texto}}&tipo=codigo', headers: [] });
    stand.reset();
    const { sent } = await send(op, CELULAR);
    expect(sent.statusCode, sent.body).toBe(202);
    const [req] = stand.received;
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req!.body).toMatch(/^to=%2B5511990000001&msg=Operadora%20Teste%3A%20codigo%20\d{6}%2C%20vale%2010%20min\.&tipo=codigo$/);
  });

  it('a 5xx, then a timeout, are retried once with the same code; two failures end in a clear 503 and no usable code', async () => {
    const op = await operadoraAt(t, sim);
    await configure(op, { provedor: 'zenvia', url: stand.url, remetente: 'operadora', apiToken: 'tok', timeoutMs: 1000 });
    const textOf = (r: Received) => JSON.parse(r.body).contents[0].text as string;

    stand.reset();
    stand.replies.push({ status: 503, body: '{"code":"UNAVAILABLE","message":"try later"}' });
    const first = await send(op, CELULAR);
    expect(first.sent.statusCode, first.sent.body).toBe(202);
    expect(stand.received).toHaveLength(2);
    expect(textOf(stand.received[0]!)).toBe(textOf(stand.received[1]!));
    const code = CODE.exec(textOf(stand.received[1]!))![1]!;
    expect((await first.app.verificar(first.id, code)).statusCode).toBe(200);

    stand.reset();
    stand.replies.push({ status: 0, body: '', hang: true });
    const second = await send(op, CELULAR);
    expect(second.sent.statusCode, second.sent.body).toBe(202);
    expect(stand.received).toHaveLength(2);
    expect(textOf(stand.received[0]!)).toBe(textOf(stand.received[1]!));

    stand.reset();
    stand.setFallback({ status: 500, body: '{"message":"boom"}' });
    const failed = await send(op, CELULAR);
    expect(failed.sent.statusCode).toBe(503);
    expect(failed.sent.headers['retry-after']).toBe('30');
    expect(failed.sent.json().error.message).toBe('Não foi possível enviar o código por SMS agora. Tente novamente em instantes ou escolha o e-mail, se houver.');
    expect(stand.received).toHaveLength(2);
    const failedCode = CODE.exec(textOf(stand.received[0]!))![1]!;
    expect((await failed.app.verificar(failed.id, failedCode)).json().error.message).toMatch(/Não há código ativo/);

    await vi.waitFor(async () => expect(await logRows(op.clienteId)).toHaveLength(6), { timeout: 5000, interval: 20 });
    const rows = await logRows(op.clienteId);
    expect(rows.map((r) => [r.resultado, r.status ?? r.status_text])).toEqual([
      ['falha_comunicacao', 503],
      ['sucesso', 200],
      ['falha_comunicacao', 'tempo_esgotado'],
      ['sucesso', 200],
      ['falha_comunicacao', 500],
      ['falha_comunicacao', 500],
    ]);
    expect(rows[0]!.response_body).toContain('try later');
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(failedCode);
  });

  it('an invalid phone number is refused before any code or send', async () => {
    const op = await operadoraAt(t, sim);
    await configure(op, { provedor: 'zenvia', url: stand.url, remetente: 'operadora', apiToken: 'tok' });
    const semNumero = await createOperatorSimulator({ port: 0, people: [{ ...ana, celular: '1234' }] });
    try {
      const op2 = await operadoraAt(t, semNumero);
      await configure(op2, { provedor: 'zenvia', url: stand.url, remetente: 'operadora', apiToken: 'tok' });
      stand.reset();
      const app = appClient(t, op2.appId);
      const id = await startFlow(app, ana);
      const sent = await app.enviar(id, CELULAR);
      expect(sent.statusCode).toBe(400);
      expect(sent.json().error.details).toEqual([{ field: 'contatoId', message: expect.stringMatching(/não é válido/) }]);
      expect(stand.received).toHaveLength(0);
    } finally {
      await semNumero.close();
    }
  });

  it('e-mail through the cliente’s own SMTP server, with its sender, HTML and text bodies', async () => {
    const smtp = await startSmtpStandIn({ user: 'cliente', pass: 'smtp-do-cliente' });
    try {
      const op = await operadoraAt(t, sim);
      const dto = await configure(op, { provedor: 'nenhum' }, { remetenteNome: 'Operadora Saúde', remetenteEndereco: 'codigos@operadora.test', smtpUrl: `smtp://cliente:smtp-do-cliente@127.0.0.1:${smtp.port}` });
      expect(dto.email).toEqual({ remetenteNome: 'Operadora Saúde', remetenteEndereco: 'codigos@operadora.test', smtpProprioDefinido: true });
      expect(JSON.stringify(dto)).not.toContain('smtp-do-cliente');
      const { app, id, sent } = await send(op, EMAIL);
      expect(sent.statusCode, sent.body).toBe(202);
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail!.user).toBe('cliente');
      expect(mail!.from).toBe('codigos@operadora.test');
      expect(mail!.to).toEqual([ana.email]);
      expect(mail!.raw).toMatch(/^From: =\?UTF-8\?Q\?Operadora_Sa=C3=BAde\?= <codigos@operadora\.test>/m);
      // The configured subject template, {{app}} as the cliente's name.
      expect(decodedHeader(mail!.raw, 'Subject')).toBe('Operadora Teste - seu código');
      expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
      expect(mail!.raw).toMatch(/^Content-Type: text\/plain/m);
      expect(mail!.raw).toMatch(/^Content-Type: text\/html/m);
      const code = CODE.exec(mail!.raw.replace(/=\r?\n/g, ''))![1]!;
      expect((await app.verificar(id, code)).statusCode).toBe(200);
      await vi.waitFor(async () => expect(await logRows(op.clienteId)).toHaveLength(1), { timeout: 5000, interval: 20 });
      const [row] = await logRows(op.clienteId);
      expect(row!.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
      expect(JSON.parse(row!.request_body_json!)).toMatchObject({ canal: 'email', provedor: 'smtp-cliente', destino: 'a***@e***.com' });
      expect(JSON.stringify(row)).not.toContain(ana.email);
      expect(JSON.stringify(row)).not.toContain('smtp-do-cliente');

      // No SMTP of its own and none on the platform: production refuses e-mail, clearly.
      const op2 = await operadoraAt(t, sim);
      const refused = await send(op2, EMAIL);
      expect(refused.sent.statusCode).toBe(503);
      expect(refused.sent.json().error.message).toMatch(/e-mail/);
    } finally {
      await smtp.close();
    }
  });

  it('e-mail: a 4xx from the cliente’s SMTP server is retried once and the same code arrives once; a 5xx is not retried and ends in a clear 503', async () => {
    const smtp = await startSmtpStandIn({ user: 'cliente', pass: 'smtp-do-cliente' });
    try {
      const op = await operadoraAt(t, sim);
      await configure(op, { provedor: 'nenhum' }, { remetenteEndereco: 'codigos@operadora.test', smtpUrl: smtp.url });
      const codeOf = (mail: ReceivedMail) => CODE.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;

      // 451 ("try later") once: one more try of the very same message, which is accepted.
      smtp.refuseNext(1, 451);
      const first = await send(op, EMAIL);
      expect(first.sent.statusCode, first.sent.body).toBe(202);
      expect(smtp.refused).toHaveLength(1);
      expect(smtp.received).toHaveLength(1);
      const code = codeOf(smtp.received[0]!);
      expect(codeOf(smtp.refused[0]!)).toBe(code);
      expect((await first.app.verificar(first.id, code)).statusCode).toBe(200);

      // 550 (refused for good): no second try; the app is told to try again or pick the phone.
      smtp.refuseNext(1, 550);
      const failed = await send(op, EMAIL);
      expect(failed.sent.statusCode).toBe(503);
      expect(failed.sent.headers['retry-after']).toBe('30');
      expect(failed.sent.json().error.message).toBe('Não foi possível enviar o código por e-mail agora. Tente novamente em instantes ou escolha o celular, se houver.');
      expect(smtp.refused).toHaveLength(2);
      expect(smtp.received).toHaveLength(1);
      const failedCode = codeOf(smtp.refused[1]!);
      expect((await failed.app.verificar(failed.id, failedCode)).json().error.message).toMatch(/Não há código ativo/);

      await vi.waitFor(async () => expect(await logRows(op.clienteId)).toHaveLength(3), { timeout: 5000, interval: 20 });
      const rows = await logRows(op.clienteId);
      expect(rows.map((r) => [JSON.parse(r.request_body_json!).tentativa, r.resultado, r.status])).toEqual([
        [1, 'falha_comunicacao', 451],
        [2, 'sucesso', 250],
        [1, 'recusado_pela_operadora', 550],
      ]);
      expect(rows[0]!.response_body).toContain('SMTP 451');
      expect(rows[2]!.response_body).toContain('SMTP 550');
      for (const row of rows) expect(JSON.stringify(row)).not.toContain(failedCode);
    } finally {
      await smtp.close();
    }
  });

  it('each attempt is timed in ponte_mensagens_envio_duration_seconds, by canal and provedor', async () => {
    const smtp = await startSmtpStandIn({ user: 'cliente', pass: 'smtp-do-cliente' });
    try {
      const op = await operadoraAt(t, sim);
      await configure(op, { provedor: 'zenvia', url: stand.url, remetente: 'operadora', apiToken: 'tok' }, { remetenteEndereco: 'codigos@operadora.test', smtpUrl: smtp.url });
      stand.reset();
      const count = async (canal: string, provedor: string) => {
        const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
        expect(metrics.statusCode).toBe(200);
        const line = new RegExp(`^ponte_mensagens_envio_duration_seconds_count\\{canal="${canal}",provedor="${provedor}"\\} (\\d+)$`, 'm').exec(metrics.body);
        return line ? Number(line[1]) : 0;
      };
      const before = { sms: await count('sms', 'zenvia'), email: await count('email', 'smtp-cliente') };

      expect((await send(op, CELULAR)).sent.statusCode).toBe(202);
      expect(await count('sms', 'zenvia')).toBe(before.sms + 1);
      expect(await count('email', 'smtp-cliente')).toBe(before.email);

      expect((await send(op, EMAIL)).sent.statusCode).toBe(202);
      expect(smtp.received).toHaveLength(1);
      expect(await count('sms', 'zenvia')).toBe(before.sms + 1);
      expect(await count('email', 'smtp-cliente')).toBe(before.email + 1);
    } finally {
      await smtp.close();
    }
  });

  it('painel API: validation, write-only secrets bound to the origin, roles, another cliente', async () => {
    const op = await operadoraAt(t, sim);
    const detailsOf = async (payload: unknown) => {
      const response = await put(op, payload);
      expect(response.statusCode, response.body).toBe(400);
      return (response.json().error.details as { field: string }[]).map((d) => d.field);
    };
    const zenvia = { provedor: 'zenvia', url: stand.url, remetente: 'operadora' };
    expect(await detailsOf({ sms: zenvia, email: {}, modelos: modelos() })).toEqual(['sms.apiToken']);
    expect(await detailsOf({ sms: { ...zenvia, url: 'http://169.254.169.254', apiToken: 'x' }, email: {}, modelos: modelos() })).toEqual(['sms.url']);
    expect(await detailsOf({ sms: { provedor: 'twilio', accountSid: 'AC1', remetente: '+1', authToken: 'x' }, email: {}, modelos: modelos() })).toEqual(['sms.accountSid']);
    expect(await detailsOf({ sms: { provedor: 'http', url: stand.url, formato: 'json', corpo: '{"a":{{texto}}}', headers: [] }, email: {}, modelos: modelos() })).toEqual(['sms.corpo']);
    expect(await detailsOf({ sms: { provedor: 'nenhum' }, email: { smtpUrl: 'smtp://u:p@10.0.0.1:25', remetenteEndereco: 'a@b.test' }, modelos: modelos() })).toEqual(['email.smtpUrl']);
    // One GSM-7 segment at most, counted with the app's name.
    const long = `{{app}} {{codigo}} ${'x'.repeat(150)}`;
    expect(await detailsOf({ sms: { provedor: 'nenhum' }, email: {}, modelos: modelos(long) })).toEqual(['modelos.sms']);
    expect(await detailsOf({ sms: { provedor: 'nenhum' }, email: {}, modelos: modelos('sem codigo') })).toEqual(['modelos.sms']);

    expect((await put(op, { sms: { ...zenvia, apiToken: 'primeiro' }, email: {}, modelos: modelos() })).statusCode).toBe(200);
    // Saved again without the token: kept.
    const kept = await put(op, { sms: { ...zenvia, remetente: 'outro' }, email: {}, modelos: modelos() });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().sms).toMatchObject({ remetente: 'outro', segredoDefinido: true });
    // Pointed at another origin without the token: it must be typed again.
    expect(await detailsOf({ sms: { ...zenvia, url: 'https://api.zenvia.com' }, email: {}, modelos: modelos() })).toEqual(['sms.apiToken']);
    const row = await t.database.db.selectFrom('envio_mensagens').selectAll().where('cliente_id', '=', op.clienteId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('primeiro');

    const get = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${op.clienteId}/instancias/1/envio-mensagens`, headers: { cookie: op.painel.cookie! } });
    expect(get.statusCode).toBe(200);
    expect(get.json().previaSms).toMatchObject({ codificacao: 'gsm7', segmentos: 1 });

    const leitor = (await loginAs(t, { clienteId: op.clienteId, role: 'leitor' })).headers;
    expect((await put(op, { sms: { provedor: 'nenhum' }, email: {}, modelos: modelos() }, leitor)).statusCode).toBe(403);
    const outro = await createCliente(t);
    const outsider = (await loginAs(t, { clienteId: outro.id, role: 'admin' })).headers;
    expect((await put(op, { sms: { provedor: 'nenhum' }, email: {}, modelos: modelos() }, outsider)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${op.clienteId}/instancias/1/envio-mensagens` })).statusCode).toBe(401);

    const audit = await t.database.db.selectFrom('audit_events').selectAll().where('cliente_id', '=', op.clienteId).where('action', '=', 'envio-mensagens.alterado').execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('primeiro');
    expect(audit.map((e) => e.instancia)).toEqual([1, 1]);
  });

  it('"Enviar mensagem de teste": sent with the saved settings, audited, rate-limited, invalid numbers refused', async () => {
    const op = await operadoraAt(t, sim);
    await configure(op, { provedor: 'zenvia', url: stand.url, remetente: 'operadora', apiToken: 'tok' });
    stand.reset();
    const teste = (payload: object) => t.app.inject({ method: 'POST', url: `/painel/api/clientes/${op.clienteId}/instancias/1/envio-mensagens/teste`, headers: op.painel, payload });
    const invalid = await teste({ canal: 'sms', destino: '123' });
    expect(invalid.statusCode).toBe(400);
    expect(stand.received).toHaveLength(0);

    const ok = await teste({ canal: 'sms', destino: '(21) 98765-4321' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, canal: 'sms', provedor: 'zenvia', destino: '+55 21 9****-**21', tentativas: 1, erro: null });
    expect(JSON.parse(stand.received[0]!.body).to).toBe('5521987654321');

    stand.setFallback({ status: 401, body: '{"code":"AUTHENTICATION_ERROR","message":"Invalid token"}' });
    const refused = await teste({ canal: 'sms', destino: '21987654321' });
    expect(refused.json()).toMatchObject({ ok: false, tentativas: 1, erro: 'HTTP 401: AUTHENTICATION_ERROR — Invalid token' });

    const audit = await t.database.db.selectFrom('audit_events').selectAll().where('cliente_id', '=', op.clienteId).where('action', '=', 'envio-mensagens.teste').execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('987654321');
    expect(audit.map((e) => e.instancia)).toEqual([1, 1]);

    // 5 per 10 minutes per instância (the invalid number counted too).
    for (let i = 0; i < 2; i += 1) expect((await teste({ canal: 'sms', destino: '21987654321' })).statusCode).toBe(200);
    const limited = await teste({ canal: 'sms', destino: '21987654321' });
    expect(limited.statusCode).toBe(429);
  });
});

describe('SMS text rules', () => {
  it('folds accents GSM-7 lacks and counts one segment up to 160', () => {
    expect(contarSms('código ação é')).toMatchObject({ texto: 'codigo acao é', codificacao: 'gsm7', caracteres: 13, segmentos: 1 });
    expect(contarSms('x'.repeat(160))).toMatchObject({ segmentos: 1, limite: 160 });
    expect(contarSms('x'.repeat(161))).toMatchObject({ segmentos: 2 });
    expect(contarSms('{}')).toMatchObject({ caracteres: 4 });
    expect(contarSms('olá 😀')).toMatchObject({ codificacao: 'ucs2', limite: 70 });
  });
  it('normalizes Brazilian numbers to E.164 and refuses invalid ones', () => {
    expect(paraE164('(11) 99000-0001')).toBe('+5511990000001');
    expect(paraE164('+1 415 555 2671')).toBe('+14155552671');
    expect(paraE164('1234')).toBeUndefined();
  });
});

describe.each(databaseKinds())('envio de mensagens settings on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ database: await openTestDatabase(kind) });
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.dispose();
  });

  it('saves, reads back without secrets, and keeps the sealed token', async () => {
    const cliente = await createCliente(t);
    const admin = (await loginAs(t, { clienteId: cliente.id, role: 'admin' })).headers;
    const url = `/painel/api/clientes/${cliente.id}/instancias/2/envio-mensagens`;
    const empty = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie! } });
    expect(empty.json()).toMatchObject({ configurado: false, sms: { provedor: 'nenhum' } });
    // Produção: https only.
    const http = await t.app.inject({ method: 'PUT', url, headers: admin, payload: { sms: { provedor: 'twilio', url: 'http://api.twilio.test', accountSid: TWILIO_SID, remetente: '+15005550006', authToken: 't' }, email: {}, modelos: modelos() } });
    expect(http.statusCode).toBe(400);
    const saved = await t.app.inject({ method: 'PUT', url, headers: admin, payload: { sms: { provedor: 'twilio', accountSid: TWILIO_SID, remetente: '+15005550006', authToken: 'segredo-twilio' }, email: {}, modelos: modelos() } });
    expect(saved.statusCode, saved.body).toBe(200);
    const read = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie! } });
    expect(read.json()).toMatchObject({ configurado: true, sms: { provedor: 'twilio', url: 'https://api.twilio.com', accountSid: TWILIO_SID, segredoDefinido: true } });
    expect(read.body).not.toContain('segredo-twilio');
  });
});
