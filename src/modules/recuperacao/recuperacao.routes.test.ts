import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { manualClock } from '../../platform/clock.ts';
import { cpfWithCheckDigits, seedPeople, type SeedPerson } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, RECUPERACAO_HEADER, type OperatorSimulator } from '../../simulator/simulator.ts';
import { recuperacaoPolicy } from './recuperacao.service.ts';
import { appClient, freshIp, identificationOf, operadoraAt, outboxOf, startFlow, wrongCode, type Operadora } from './recuperacao.test-support.ts';

/**
 * Recuperar senha through the app API (docs/ESPECIFICACAO.md §5) against the operator simulator over real HTTP.
 * Without SMTP configured (NODE_ENV=test) codes land in the development outbox, read here through
 * the painel API; the real SMTP path is in `recuperacao.smtp.test.ts`.
 */

const [ana, carlos, lucas, rosa, helena] = seedPeople.slice(0, 5) as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
const EMAIL = '1';
const EMAIL_SEM_OFUSCADO = '2';
const CELULAR = '3';

const errorOf = (response: { json(): unknown }) => (response.json() as { error: { code: string; message: string } }).error;

describe('recuperar senha (app API)', () => {
  let t: TestApp;
  let sim: OperatorSimulator;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  describe('the whole flow', () => {
    it('identification → contacts only obfuscated → SMS code in the outbox → verification → new password at the operator', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);

      const identified = await app.identificar(identificationOf(rosa));
      expect(identified.statusCode, identified.body).toBe(201);
      const { id, contatos } = identified.json();
      expect(Object.keys(identified.json()).sort()).toEqual(['contatos', 'id']);
      expect(id).toMatch(/^rec_[0-9a-f]{24}$/);
      expect(contatos).toEqual([
        // The operator's own `ofuscado` (the simulator's style) is kept…
        { id: EMAIL, tipo: 'email', ofuscado: 'r**********a@e******.com' },
        // …and where it sent none, Ponte's standard applies.
        { id: EMAIL_SEM_OFUSCADO, tipo: 'email', ofuscado: 'r***a@e***.com' },
        { id: CELULAR, tipo: 'celular', ofuscado: '119*****0**' },
      ]);

      const sent = await app.enviar(id, CELULAR);
      expect(sent.statusCode, sent.body).toBe(202);
      expect(sent.json()).toEqual({ enviadoPara: '119*****0**', expiraEm: expect.any(Number) });
      expect(sent.json().expiraEm - Date.now()).toBeGreaterThan(recuperacaoPolicy.codeMs - 60_000);
      expect(sent.json().expiraEm - Date.now()).toBeLessThanOrEqual(recuperacaoPolicy.codeMs);

      // The outbox shows the full destination and the code: that is what it is for.
      const [mensagem] = await outbox.novas();
      expect(mensagem).toMatchObject({ canal: 'sms', destino: rosa.celular });
      const code = /\b(\d{6})\b/.exec(mensagem!.texto)![1]!;

      const verified = await app.verificar(id, code);
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json()).toEqual({ verificado: true });

      const done = await app.novaSenha(id, { novaSenha: 'rosa-nova-123', confirmacaoNovaSenha: 'rosa-nova-123' });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toEqual({ mensagem: 'Senha alterada com sucesso' });

      // What the operator received: the echoed identity and the form, with the identification's
      // seguranca header (the simulator only accepts the recovery token it issued for rosa).
      const call = sim.calls().recuperarSenhaNovaSenha;
      expect(call.lastBody).toEqual({ chaveUnica: rosa.cpf, integracao: { codigoBeneficiario: rosa.codigoBeneficiario }, novaSenha: 'rosa-nova-123' });
      expect(call.lastHeaders?.[RECUPERACAO_HEADER]).toEqual(expect.any(String));
      const login = await app.login({ login: rosa.cpf, senha: 'rosa-nova-123' });
      expect(login.statusCode, login.body).toBe(201);
    });

    it('e-mail codes go to the outbox too when no SMTP server is configured (development)', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);
      const id = await startFlow(app, ana);
      const sent = await app.enviar(id, EMAIL_SEM_OFUSCADO);
      expect(sent.statusCode, sent.body).toBe(202);
      expect(sent.json().enviadoPara).toBe('a***o@e***.com');
      const [mensagem] = await outbox.novas();
      expect(mensagem).toMatchObject({ canal: 'email', destino: ana.emailSecundario });
      const code = /\b(\d{6})\b/.exec(mensagem!.texto)![1]!;
      expect((await app.verificar(id, code)).statusCode).toBe(200);
    });

    it('no response to the app ever contains a contact in clear', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);
      const forbidden = [ana.email, ana.emailSecundario, ana.celular, ana.email.split('@')[0]!, ana.emailSecundario.split('@')[0]!, 'example.com'];

      const id = await startFlow(app, ana);
      for (const contato of [EMAIL, EMAIL_SEM_OFUSCADO, CELULAR]) {
        expect((await app.enviar(id, contato)).statusCode).toBe(202);
      }
      const codes = await outbox.novas();
      expect(codes.map((m) => m.destino).sort()).toEqual([ana.email, ana.emailSecundario, ana.celular].sort());
      const last = /\b(\d{6})\b/.exec(codes.find((m) => m.destino === ana.celular)!.texto)![1]!;
      await app.enviar(id, 'nao-existe');
      await app.verificar(id, wrongCode(last));
      expect((await app.verificar(id, last)).statusCode).toBe(200);
      expect((await app.novaSenha(id, { novaSenha: 'ana-nova-123', confirmacaoNovaSenha: 'ana-nova-123' })).statusCode).toBe(200);
      await app.enviar(id, CELULAR);
      await app.identificar({ cpf: ana.cpf, dataNascimento: '1999-12-31' });

      expect(app.responses.length).toBeGreaterThanOrEqual(9);
      for (const response of app.responses) {
        const seen = `${JSON.stringify(response.headers)}\n${response.body}`.toLowerCase();
        for (const clear of forbidden) expect(seen, `a response revealed "${clear}"`).not.toContain(clear.toLowerCase());
      }
    });
  });

  describe('codes', () => {
    it('a new send voids the previous code', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);
      const id = await startFlow(app, carlos);
      let first: string;
      let second: string;
      // Two sends could draw the same six digits (one in a million): draw again then.
      do {
        expect((await app.enviar(id, CELULAR)).statusCode).toBe(202);
        first = await outbox.codeSentTo(carlos.celular);
        expect((await app.enviar(id, CELULAR)).statusCode).toBe(202);
        second = await outbox.codeSentTo(carlos.celular);
      } while (first === second);

      const old = await app.verificar(id, first);
      expect(old.statusCode).toBe(400);
      expect(errorOf(old).code).toBe('VALIDATION_FAILED');
      expect((await app.verificar(id, second)).statusCode).toBe(200);
    });

    it('5 wrong attempts kill the code; the message counts down the attempts left', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);
      const id = await startFlow(app, carlos);
      await app.enviar(id, CELULAR);
      const code = await outbox.codeSentTo(carlos.celular);

      for (const left of [4, 3, 2, 1]) {
        const wrong = await app.verificar(id, wrongCode(code));
        expect(wrong.statusCode).toBe(400);
        expect(errorOf(wrong).code).toBe('VALIDATION_FAILED');
        expect(errorOf(wrong).message).toContain(String(left));
      }
      const fifth = await app.verificar(id, wrongCode(code));
      expect(fifth.statusCode).toBe(400);
      // The right code no longer works: the code is dead.
      const right = await app.verificar(id, code);
      expect(right.statusCode).toBe(400);
      expect(errorOf(right).code).toBe('VALIDATION_FAILED');

      // A new code starts with its own 5 attempts.
      await app.enviar(id, CELULAR);
      const fresh = await outbox.codeSentTo(carlos.celular);
      expect((await app.verificar(id, wrongCode(fresh))).statusCode).toBe(400);
      expect((await app.verificar(id, fresh)).statusCode).toBe(200);
    });

    it('concurrent guesses cannot get past the 5 attempts (guarded update)', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);
      const id = await startFlow(app, lucas);
      await app.enviar(id, CELULAR);
      const code = await outbox.codeSentTo(lucas.celular);

      const guesses = await Promise.all(Array.from({ length: 12 }, () => app.verificar(id, wrongCode(code))));
      expect(guesses.every((g) => g.statusCode === 400)).toBe(true);
      const counted = guesses.filter((g) => /incorreto/i.test(errorOf(g).message));
      expect(counted).toHaveLength(recuperacaoPolicy.attemptsPerCode);
      expect((await app.verificar(id, code)).statusCode).toBe(400);
    });

    it('a code lives 10 minutes (manual clock); the flow 30', async () => {
      const clock = manualClock(Date.now());
      const timed = await createTestApp({ clock });
      try {
        const op = await operadoraAt(timed, sim);
        const app = appClient(timed, op.appId);
        const outbox = outboxOf(timed, op);

        const early = await startFlow(app, helena);
        await app.enviar(early, CELULAR);
        const earlyCode = await outbox.codeSentTo(helena.celular);
        clock.advance(recuperacaoPolicy.codeMs - 1);
        expect((await app.verificar(early, earlyCode)).statusCode).toBe(200);

        const late = await startFlow(app, helena);
        const sent = await app.enviar(late, CELULAR);
        expect(sent.json().expiraEm).toBe(clock.now() + 10 * 60 * 1000);
        const lateCode = await outbox.codeSentTo(helena.celular);
        clock.advance(10 * 60 * 1000);
        const expired = await app.verificar(late, lateCode);
        expect(expired.statusCode).toBe(400);
        expect(errorOf(expired).code).toBe('VALIDATION_FAILED');
        // A fresh code works again, until the flow itself ends at 30 minutes.
        await app.enviar(late, CELULAR);
        expect((await app.verificar(late, await outbox.codeSentTo(helena.celular))).statusCode).toBe(200);
        clock.advance(20 * 60 * 1000);
        const gone = await app.novaSenha(late, { novaSenha: 'tarde-demais', confirmacaoNovaSenha: 'tarde-demais' });
        expect(gone.statusCode).toBe(404);
        expect(errorOf(gone).code).toBe('NOT_FOUND');
      } finally {
        await timed.close();
      }
    });
  });

  describe('abuse limits', () => {
    it('at most 5 sends per contact per hour, across flows; the 6th is 429 with Retry-After', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const id = await startFlow(app, carlos);
      for (let i = 0; i < recuperacaoPolicy.sendsPerContact.max; i += 1) expect((await app.enviar(id, EMAIL)).statusCode).toBe(202);

      const sixth = await app.enviar(id, EMAIL);
      expect(sixth.statusCode).toBe(429);
      expect(errorOf(sixth).code).toBe('RATE_LIMITED');
      const retryAfter = Number(sixth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);

      // The limit belongs to the contact, not the flow; other contacts are not affected.
      const other = await startFlow(app, carlos);
      expect((await app.enviar(other, EMAIL)).statusCode).toBe(429);
      expect((await app.enviar(other, CELULAR)).statusCode).toBe(202);
    });

    it('identification is limited per identifier (the CPF), from any address', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const { max } = recuperacaoPolicy.identificationPerIdentifier;
      for (let i = 0; i < max; i += 1) expect((await app.identificar(identificationOf(ana), { ip: freshIp() })).statusCode).toBe(201);

      const over = await app.identificar(identificationOf(ana), { ip: freshIp() });
      expect(over.statusCode).toBe(429);
      expect(errorOf(over).code).toBe('RATE_LIMITED');
      expect(errorOf(over).message).toMatch(/recuperar a senha/);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect((await app.identificar(identificationOf(carlos), { ip: freshIp() })).statusCode).toBe(201);
    });

    it('identification is limited per IP, whatever the CPF', async () => {
      const op = await operadoraAt(t, sim);
      const ip = freshIp();
      const app = appClient(t, op.appId, ip);
      const { max } = recuperacaoPolicy.identificationPerIp;
      // Valid CPFs nobody has: the operator refuses them, and each still counts.
      const cpfs = Array.from({ length: max + 1 }, (_, i) => cpfWithCheckDigits(String(900_000_000 + i)));
      for (const cpf of cpfs.slice(0, max)) expect((await app.identificar({ cpf, dataNascimento: '1990-01-01' })).statusCode).toBe(422);

      const over = await app.identificar({ cpf: cpfs[max]!, dataNascimento: '1990-01-01' });
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect((await app.identificar({ cpf: cpfs[max]!, dataNascimento: '1990-01-01' }, { ip: freshIp() })).statusCode).toBe(422);
    });
  });

  describe('operator failures', () => {
    it("an unknown beneficiary is 422 OPERATOR_REFUSED with the operator's mensagem", async () => {
      const op = await operadoraAt(t, sim);
      const response = await appClient(t, op.appId).identificar({ cpf: ana.cpf, dataNascimento: '2001-01-01' });
      expect(response.statusCode).toBe(422);
      expect(errorOf(response)).toMatchObject({ code: 'OPERATOR_REFUSED', message: 'Beneficiário não encontrado' });
    });

    it('an identification that breaks the contract is 502 OPERATOR_UNAVAILABLE', async () => {
      const broken = await createOperatorSimulator({ port: 0, fault: 'missing-mandatory', faultMethods: ['recuperarSenhaIdentificacao'] });
      try {
        const op = await operadoraAt(t, broken);
        const response = await appClient(t, op.appId).identificar(identificationOf(ana));
        expect(response.statusCode).toBe(502);
        expect(errorOf(response).code).toBe('OPERATOR_UNAVAILABLE');
      } finally {
        await broken.close();
      }
    });

    it('a form that fails validation never reaches the operator', async () => {
      const op = await operadoraAt(t, sim);
      const before = sim.calls().recuperarSenhaIdentificacao.count;
      const response = await appClient(t, op.appId).identificar({ cpf: '123.456.789-00', dataNascimento: '31/02/1990' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.map((d: { field: string }) => d.field).sort()).toEqual(['cpf', 'dataNascimento']);
      expect(sim.calls().recuperarSenhaIdentificacao.count).toBe(before);
    });

    it('when the operator fails on the new password (500: an outage, not a refusal), the verified flow can try again', async () => {
      const flaky = await createOperatorSimulator({ port: 0, fault: 'status-500', faultMethods: ['recuperarSenhaNovaSenha'] });
      try {
        const op = await operadoraAt(t, flaky);
        const app = appClient(t, op.appId);
        const outbox = outboxOf(t, op);
        const id = await startFlow(app, helena);
        await app.enviar(id, CELULAR);
        expect((await app.verificar(id, await outbox.codeSentTo(helena.celular))).statusCode).toBe(200);

        const refused = await app.novaSenha(id, { novaSenha: 'helena-nova-1', confirmacaoNovaSenha: 'helena-nova-1' });
        expect(refused.statusCode).toBe(502);
        expect(errorOf(refused).code).toBe('OPERATOR_UNAVAILABLE');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        flaky.setFault(null);
        const ok = await app.novaSenha(id, { novaSenha: 'helena-nova-1', confirmacaoNovaSenha: 'helena-nova-1' });
        expect(ok.statusCode, ok.body).toBe(200);
      } finally {
        await flaky.close();
      }
    });
  });

  describe('flow state', () => {
    it('the new password needs a verified code', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const id = await startFlow(app, lucas);
      const before = sim.calls().recuperarSenhaNovaSenha.count;
      const early = await app.novaSenha(id, { novaSenha: 'sem-codigo-1', confirmacaoNovaSenha: 'sem-codigo-1' });
      expect(early.statusCode).toBe(409);
      expect(errorOf(early).code).toBe('CONFLICT');
      await app.enviar(id, CELULAR);
      expect((await app.novaSenha(id, { novaSenha: 'sem-codigo-1', confirmacaoNovaSenha: 'sem-codigo-1' })).statusCode).toBe(409);
      expect(sim.calls().recuperarSenhaNovaSenha.count).toBe(before);
    });

    it('a concluded flow cannot be used again', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const outbox = outboxOf(t, op);
      const id = await startFlow(app, lucas);
      await app.enviar(id, EMAIL);
      expect((await app.verificar(id, await outbox.codeSentTo(lucas.email))).statusCode).toBe(200);
      expect((await app.novaSenha(id, { novaSenha: 'lucas-nova-1', confirmacaoNovaSenha: 'lucas-nova-1' })).statusCode).toBe(200);

      for (const reuse of [() => app.novaSenha(id, { novaSenha: 'lucas-nova-2', confirmacaoNovaSenha: 'lucas-nova-2' }), () => app.enviar(id, EMAIL), () => app.verificar(id, '123456')]) {
        const response = await reuse();
        expect(response.statusCode).toBe(409);
        expect(errorOf(response).code).toBe('CONFLICT');
      }
      expect(await outbox.novas()).toEqual([]);
    });

    it("another app's flow id is 404, whether another cliente or the other instância", async () => {
      const op = await operadoraAt(t, sim);
      const other = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const id = await startFlow(app, ana);
      for (const appId of [other.appId, op.appIdProducao]) {
        for (const response of [await app.enviar(id, EMAIL, { appId }), await app.verificar(id, '123456', { appId }), await app.novaSenha(id, { novaSenha: 'x1234567', confirmacaoNovaSenha: 'x1234567' }, { appId })]) {
          expect(response.statusCode).toBe(404);
          expect(errorOf(response).code).toBe('NOT_FOUND');
        }
      }
      expect((await app.enviar(id, EMAIL)).statusCode).toBe(202);
    });

    it('an unknown app id or contact is refused', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const unknownApp = await app.identificar(identificationOf(ana), { appId: 'app-que-nao-existe' });
      expect(unknownApp.statusCode).toBe(404);
      expect(errorOf(unknownApp).code).toBe('APP_NOT_FOUND');
      const id = await startFlow(app, ana);
      const unknownContact = await app.enviar(id, '99');
      expect(unknownContact.statusCode).toBe(400);
      expect(unknownContact.json().error.details).toEqual([{ field: 'contatoId', message: expect.any(String) }]);
      expect((await app.enviar('rec_000000000000000000000000', EMAIL)).statusCode).toBe(404);
    });
  });

  describe('development outbox (painel API)', () => {
    it('lists newest first with pagination, for platform admins only, within the cliente and instância', async () => {
      const op = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const id = await startFlow(app, ana);
      for (const contato of [EMAIL, EMAIL_SEM_OFUSCADO, CELULAR]) await app.enviar(id, contato);

      const url = `/painel/api/clientes/${op.clienteId}/instancias/1/mensagens`;
      // The outbox holds codes and painel links: the cliente's own people, even its admin, can't read it.
      for (const role of ['leitor', 'admin'] as const) {
        const member = (await loginAs(t, { clienteId: op.clienteId, role })).headers;
        const refused = await t.app.inject({ method: 'GET', url, headers: { cookie: member.cookie } });
        expect(refused.statusCode, role).toBe(403);
        expect(refused.body).not.toContain(ana.email);
      }
      const platformAdmin = (await loginAs(t, { platformAdmin: true })).headers;
      const all = await t.app.inject({ method: 'GET', url, headers: { cookie: platformAdmin.cookie } });
      expect(all.statusCode, all.body).toBe(200);
      const page = all.json();
      expect(page).toMatchObject({ pagina: 1, porPagina: 20, total: 3 });
      expect(page.itens.map((m: { destino: string }) => m.destino).sort()).toEqual([ana.email, ana.emailSecundario, ana.celular].sort());
      const times = page.itens.map((m: { criadaEm: number }) => m.criadaEm);
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const second = await t.app.inject({ method: 'GET', url: `${url}?pagina=2&porPagina=1`, headers: { cookie: platformAdmin.cookie } });
      expect(second.json()).toMatchObject({ pagina: 2, porPagina: 1, total: 3 });
      expect(second.json().itens[0].id).toBe(page.itens[1].id);

      const sandboxOnly = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${op.clienteId}/instancias/2/mensagens`, headers: { cookie: platformAdmin.cookie } });
      expect(sandboxOnly.json()).toMatchObject({ itens: [], total: 0 });

      const stranger = await createCliente(t);
      const outsider = (await loginAs(t, { clienteId: stranger.id, role: 'admin' })).headers;
      const denied = await t.app.inject({ method: 'GET', url, headers: { cookie: outsider.cookie } });
      expect(denied.statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    });
  });
});

describe('recuperar senha without a delivery channel', () => {
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  async function codeAttempt(env: Record<string, string>, contato: string) {
    const t = await createTestApp({ env });
    try {
      const op: Operadora = await operadoraAt(t, sim);
      const app = appClient(t, op.appId);
      const id = await startFlow(app, ana);
      const sent = await app.enviar(id, contato);
      return { sent, outbox: await outboxOf(t, op).all(), verify: await app.verificar(id, '123456') };
    } finally {
      await t.close();
    }
  }

  it('production without SMTP refuses to send e-mail, clearly, and keeps nothing in an outbox', async () => {
    for (const contato of [EMAIL, CELULAR]) {
      const { sent, outbox, verify } = await codeAttempt({ NODE_ENV: 'production', PONTE_OUTBOUND_ALLOWLIST: '127.0.0.0/8' }, contato);
      expect(sent.statusCode).toBe(503);
      expect(errorOf(sent).code).toBe('SERVICE_UNAVAILABLE');
      expect(errorOf(sent).message).toMatch(contato === EMAIL ? /e-mail/ : /SMS/);
      expect(outbox).toEqual([]);
      // The code that could not be sent is void.
      expect(errorOf(verify).code).toBe('VALIDATION_FAILED');
      expect(errorOf(verify).message).toMatch(/Não há código ativo/);
    }
  });

  it('an SMTP server that cannot be reached is a 503, without falling back to the outbox', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const { sent, outbox, verify } = await codeAttempt({ PONTE_SMTP_URL: `smtp://127.0.0.1:${port}` }, EMAIL);
    expect(sent.statusCode).toBe(503);
    expect(errorOf(sent).code).toBe('SERVICE_UNAVAILABLE');
    expect(sent.body).not.toContain(String(port));
    expect(outbox).toEqual([]);
    expect(errorOf(verify).message).toMatch(/Não há código ativo/);
  });
});
