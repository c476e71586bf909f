import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { seedDemo, type DemoSeed } from '../demo/demo.ts';
import { createBeneficiaryPortal, PORTAL_JS, type BeneficiaryPortal, type PortalLink } from './portal.ts';
import { seedPeople } from './seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from './simulator.ts';
import { escapeHtml } from './webview.ts';

/**
 * The portal do beneficiário's backend against a real Ponte on loopback, seeded as `npm start`
 * seeds it: a login calls chaveAuth with the portal's `seguranca` token and answers the page that
 * embeds Boas-vindas; every refusal of Ponte comes back as a Portuguese message on the form.
 * (The embedding itself, in a browser: test/portal-demo.browser.test.ts.)
 */

const [ana, carlos] = seedPeople as [(typeof seedPeople)[0], (typeof seedPeople)[0]];
const actor = { userId: null, label: 'teste' };

describe('portal do beneficiário', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let portal: BeneficiaryPortal;
  let dataDir: string;
  let demo: DemoSeed;
  let link: PortalLink;
  let ponte = '';
  let clienteId = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponte-portal-'));
    sim = await createOperatorSimulator({ port: 0 });
    portal = await createBeneficiaryPortal({ port: 0 });
    t = await createTestApp();
    demo = await seedDemo(t.services, { dataDir, simulatorUrl: sim.url, portalUrl: portal.url });
    clienteId = (await t.services.clientes.list()).find((c) => c.nome === 'Operadora Demo')!.id;
    ponte = await t.app.listen({ port: 0, host: '127.0.0.1' });
    sim.setPonte({ url: ponte, token: demo.simulatorToken });
    link = { url: ponte, token: demo.portal.token, chaveFuncionalidade: demo.portal.chaveFuncionalidade, instanciaApp: 1, funcionalidadeOrigin: sim.url };
    portal.setPonte(link);
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
    await sim?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    portal.setPonte(link);
    sim.reset();
  });

  const entrar = async (form: Record<string, string>) => {
    const response = await request(`${portal.url}/entrar`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: response.statusCode, headers: response.headers, html: await response.body.text() };
  };
  /** The refusal box's text, tags removed. */
  const refusalOf = (html: string) => /<div class="erro" role="alert" data-portal-erro>(.*?)<\/div>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

  it('shows the form: every seeded person to pick, or another CPF; loads nothing from anywhere', async () => {
    const response = await request(`${portal.url}/`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    expect(response.headers['cache-control']).toBe('no-store');
    const html = await response.body.text();
    expect(html).toContain('Portal do beneficiário');
    expect(html).toContain('<form method="post" action="/entrar">');
    for (const person of seedPeople) expect(html).toContain(`<option value="${person.cpf}">${escapeHtml(person.nome)} — CPF `);
    expect(html).toContain('name="outro"');
    expect(html).not.toContain('<script');
  });

  it('a login: the backend gets a chaveAuth session for the person and the page embeds Boas-vindas with it; the portal token never reaches the page', async () => {
    const page = await entrar({ cpf: carlos.cpf, outro: '' });
    expect(page.status, page.html).toBe(200);
    const token = /data-token="([^"]+)"/.exec(page.html)?.[1];
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // An ordinary app session of the demo's Sandbox, for Carlos.
    const sessao = await t.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: { 'x-app-id': demo.appId, authorization: `Bearer ${token}` } });
    expect(sessao.statusCode, sessao.body).toBe(200);
    expect(sessao.body).toContain(carlos.nome);
    expect(page.html).toContain(`data-chave="${demo.portal.chaveFuncionalidade}" data-instancia="1"`);
    expect(page.html).toContain(`<script src="${ponte}/sdk/v1/embed.js"></script><script src="/portal.js"></script>`);
    expect(page.html).not.toContain(demo.portal.token);
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'self' ${ponte}; connect-src ${ponte}; frame-src ${ponte} ${sim.url}; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('a CPF typed with punctuation is the same chave única', async () => {
    const cpf = `${ana.cpf.slice(0, 3)}.${ana.cpf.slice(3, 6)}.${ana.cpf.slice(6, 9)}-${ana.cpf.slice(9)}`;
    const page = await entrar({ cpf: carlos.cpf, outro: ` ${cpf} ` });
    expect(page.status, page.html).toBe(200);
    expect(page.html).toContain(`CPF ${cpf}`);
  });

  it('someone the operator does not know: 422 and Ponte’s message on the form, which keeps what was typed', async () => {
    const page = await entrar({ cpf: ana.cpf, outro: '<b>123</b>' });
    expect(page.status).toBe(422);
    expect(refusalOf(page.html)).toBe('A Ponte não autenticou este beneficiário A operadora não reconheceu o beneficiário: Beneficiário não encontrado');
    expect(page.html).toContain('value="&lt;b&gt;123&lt;/b&gt;"');
    expect(page.html).not.toContain('<b>123');
    expect(page.html).not.toContain('data-token');
  });

  it('someone the operator no longer finds eligible: the operator’s own words', async () => {
    sim.setElegivel(carlos.cpf, false);
    const page = await entrar({ cpf: carlos.cpf });
    expect(page.status).toBe(422);
    expect(refusalOf(page.html)).toBe('A Ponte não autenticou este beneficiário A operadora não reconheceu o beneficiário: Beneficiário sem elegibilidade ativa. Procure a operadora.');
    expect(page.html).toContain(`<option value="${carlos.cpf}" selected>`);
  });

  it('elegibilidade turned off in the painel: Ponte says to activate it', async () => {
    await t.services.elegibilidade.save({ clienteId, instancia: 1, ativa: false, reloginHoras: null, actor });
    try {
      const page = await entrar({ cpf: ana.cpf });
      expect(page.status).toBe(422);
      expect(refusalOf(page.html)).toMatch(/^A Ponte não autenticou este beneficiário A elegibilidade não está ativa nesta instância: .*ative-a em Integração, no painel/);
    } finally {
      await t.services.elegibilidade.save({ clienteId, instancia: 1, ativa: true, reloginHoras: null, chaveUnicaTeste: ana.cpf, actor });
    }
  });

  it('a portal token Ponte does not accept, or one without the seguranca API: the operator is told what to fix', async () => {
    portal.setPonte({ ...link, token: 'ptk_nao_existe' });
    const unknown = await entrar({ cpf: ana.cpf });
    expect(unknown.status).toBe(502);
    expect(refusalOf(unknown.html)).toMatch(/^O portal não conseguiu se identificar na Ponte O token do cliente do portal foi revogado ou não existe\./);

    portal.setPonte({ ...link, token: demo.simulatorToken });
    const withoutApi = await entrar({ cpf: ana.cpf });
    expect(withoutApi.status).toBe(502);
    expect(refusalOf(withoutApi.html)).toMatch(/^O token do portal não tem a API seguranca O chaveAuth exige um token do cliente com a API seguranca/);
    expect(withoutApi.html).not.toContain(demo.simulatorToken);
  });

  it('no Ponte: not configured (503) or not answering (502)', async () => {
    portal.setPonte(undefined);
    const unset = await entrar({ cpf: ana.cpf });
    expect(unset.status).toBe(503);
    expect(refusalOf(unset.html)).toMatch(/^O portal não sabe onde está a Ponte/);

    const closed = await createBeneficiaryPortal({ port: 0 });
    const nowhere = closed.url;
    await closed.close();
    portal.setPonte({ ...link, url: nowhere });
    const down = await entrar({ cpf: ana.cpf });
    expect(down.status).toBe(502);
    expect(refusalOf(down.html)).toBe(`Não foi possível falar com a Ponte O servidor do portal não conseguiu chamar a Ponte em ${nowhere}. Verifique se ela está no ar e tente de novo.`);
  });

  it('nothing chosen: 400 before calling Ponte', async () => {
    const page = await entrar({ cpf: ' ', outro: '' });
    expect(page.status).toBe(400);
    expect(refusalOf(page.html)).toBe('Informe o CPF Escolha um beneficiário na lista ou digite um CPF.');
  });

  it('serves its script, sends a reload of /entrar back to the form, and answers other paths and methods in Portuguese', async () => {
    const script = await request(`${portal.url}/portal.js`);
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(await script.body.text()).toBe(PORTAL_JS);

    const reload = await request(`${portal.url}/entrar`);
    expect(reload.statusCode).toBe(303);
    expect(reload.headers.location).toBe('/');
    await reload.body.dump();

    const missing = await request(`${portal.url}/nada`);
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.text()).toContain('Página não encontrada');

    const wrong = await request(`${portal.url}/`, { method: 'DELETE' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD');
    expect(await wrong.body.text()).toContain('Método não suportado');
  });

  it('escapes what it shows', async () => {
    const odd = await createBeneficiaryPortal({ port: 0, people: [{ ...ana, nome: '<img src=x onerror=alert(1)>' }] });
    try {
      const html = await (await request(`${odd.url}/`)).body.text();
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).not.toContain('<img');
    } finally {
      await odd.close();
    }
  });
});
