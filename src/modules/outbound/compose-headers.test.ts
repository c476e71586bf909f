import { describe, expect, it } from 'vitest';
import { composeHeaders, type SegurancaPair } from './outbound.service.ts';

/**
 * `composeHeaders` (docs/ESPECIFICACAO.md §3): static ∪ grupo ∪ seguranca, seguranca > grupo > static on a name
 * clash (names compared case-insensitively), expired seguranca pairs left out, anything that is not
 * a sendable header dropped and reported. The end-to-end proof at the operator side is in
 * `outbound.e2e.test.ts`; this pins the rules one by one.
 */

const NOW = Date.UTC(2026, 2, 1, 12);
const compose = (sources: { estatico?: Record<string, string>; grupo?: { chave: string; token: string }[]; seguranca?: SegurancaPair[] }) =>
  composeHeaders({ estatico: sources.estatico ?? {}, grupo: sources.grupo ?? [], seguranca: sources.seguranca ?? [] }, NOW);

describe('composeHeaders', () => {
  it('no source: no header, nothing reported', () => {
    expect(compose({})).toEqual({ headers: {}, clashes: [], dropped: [] });
  });

  it('unions the three sources when no name clashes', () => {
    const result = compose({
      estatico: { 'X-Estatico': 'e' },
      grupo: [{ chave: 'x-operadora-token', token: 'g' }],
      seguranca: [{ chave: 'x-sessao', token: 's', expiracao: NOW + 60_000 }, { chave: 'x-sem-expiracao', token: 's2' }],
    });
    expect(result).toEqual({
      headers: { 'X-Estatico': 'e', 'x-operadora-token': 'g', 'x-sessao': 's', 'x-sem-expiracao': 's2' },
      clashes: [],
      dropped: [],
    });
  });

  it('a seguranca pair with expiracao null (optional in the contract) never expires', () => {
    // The validator accepts null for an optional field; treating null as a time in the past dropped the pair.
    expect(compose({ seguranca: [{ chave: 'x-sessao', token: 's', expiracao: null }] }).headers).toEqual({ 'x-sessao': 's' });
  });

  it('grupo beats static; the winner’s spelling of the name is sent; the clash names both sources', () => {
    const result = compose({ estatico: { 'X-OPERADORA-TOKEN': 'estatico' }, grupo: [{ chave: 'x-operadora-token', token: 'grupo' }] });
    expect(result.headers).toEqual({ 'x-operadora-token': 'grupo' });
    expect(result.clashes).toEqual([{ nome: 'x-operadora-token', fontes: ['estatico', 'grupo'] }]);
  });

  it('seguranca beats static', () => {
    const result = compose({ estatico: { 'x-chave': 'estatico' }, seguranca: [{ chave: 'X-Chave', token: 'seguranca' }] });
    expect(result.headers).toEqual({ 'X-Chave': 'seguranca' });
    expect(result.clashes).toEqual([{ nome: 'X-Chave', fontes: ['estatico', 'seguranca'] }]);
  });

  it('seguranca beats grupo', () => {
    const result = compose({ grupo: [{ chave: 'X-Token', token: 'grupo' }], seguranca: [{ chave: 'x-token', token: 'seguranca' }] });
    expect(result.headers).toEqual({ 'x-token': 'seguranca' });
    expect(result.clashes).toEqual([{ nome: 'x-token', fontes: ['grupo', 'seguranca'] }]);
  });

  it('a three-way clash: seguranca wins and the report lists every source in order', () => {
    const result = compose({
      estatico: { 'x-token': 'estatico', 'X-Outro': 'o' },
      grupo: [{ chave: 'X-Token', token: 'grupo' }],
      seguranca: [{ chave: 'X-TOKEN', token: 'seguranca', expiracao: NOW + 1 }],
    });
    expect(result.headers).toEqual({ 'X-TOKEN': 'seguranca', 'X-Outro': 'o' });
    expect(result.clashes).toEqual([{ nome: 'X-TOKEN', fontes: ['estatico', 'grupo', 'seguranca'] }]);
  });

  it('an expired seguranca pair is not sent and does not override anything (expiracao = now counts as expired)', () => {
    const result = compose({
      estatico: { 'x-token': 'estatico' },
      grupo: [{ chave: 'x-grupo', token: 'grupo' }],
      seguranca: [
        { chave: 'x-token', token: 'expirado', expiracao: NOW - 1 },
        { chave: 'x-grupo', token: 'expirado-agora', expiracao: NOW },
        { chave: 'x-sessao', token: 'expirado-sozinho', expiracao: NOW - 60_000 },
        { chave: 'x-valido', token: 'valido', expiracao: NOW + 1 },
      ],
    });
    expect(result).toEqual({ headers: { 'x-token': 'estatico', 'x-grupo': 'grupo', 'x-valido': 'valido' }, clashes: [], dropped: [] });
  });

  it('drops and reports names that are not RFC 7230 tokens', () => {
    const result = compose({
      estatico: { 'X Espaco': 'a', 'X-Ação': 'b', 'x-ok': 'ok' },
      grupo: [{ chave: 'x:dois-pontos', token: 'c' }],
      seguranca: [{ chave: '', token: 'd' }],
    });
    expect(result.headers).toEqual({ 'x-ok': 'ok' });
    expect(result.dropped.map((d) => d.nome)).toEqual(['X Espaco', 'X-Ação', 'x:dois-pontos', '']);
    for (const d of result.dropped) expect(d.motivo).toMatch(/inválido/);
  });

  it('drops and reports values with CR, LF or NUL (header injection), from any source', () => {
    const result = compose({
      estatico: { 'x-a': 'linha1\r\nX-Injetado: sim' },
      grupo: [{ chave: 'x-b', token: 'valor\nquebrado' }],
      seguranca: [{ chave: 'x-c', token: 'nulo\0aqui' }],
    });
    expect(result.headers).toEqual({});
    expect(result.dropped).toEqual([
      { nome: 'x-a', motivo: expect.stringMatching(/quebra de linha/) },
      { nome: 'x-b', motivo: expect.stringMatching(/quebra de linha/) },
      { nome: 'x-c', motivo: expect.stringMatching(/quebra de linha/) },
    ]);
  });

  it('an invalid value from a stronger source does not displace a valid one from a weaker source', () => {
    const result = compose({ estatico: { 'x-token': 'estatico' }, seguranca: [{ chave: 'x-token', token: 'mau\r\nvalor' }] });
    expect(result.headers).toEqual({ 'x-token': 'estatico' });
    expect(result.clashes).toEqual([]);
    expect(result.dropped).toEqual([{ nome: 'x-token', motivo: expect.stringMatching(/quebra de linha/) }]);
  });

  it('drops hop-by-hop and framing headers whatever their case and source', () => {
    const forbidden = ['Host', 'content-length', 'Transfer-Encoding', 'CONNECTION', 'Keep-Alive', 'Upgrade', 'TE', 'Trailer', 'Expect', 'Proxy-Authorization'];
    const result = compose({
      estatico: Object.fromEntries(forbidden.slice(0, 4).map((n) => [n, 'x'])),
      grupo: forbidden.slice(4, 7).map((chave) => ({ chave, token: 'x' })),
      seguranca: forbidden.slice(7).map((chave) => ({ chave, token: 'x' })),
    });
    expect(result.headers).toEqual({});
    expect(result.dropped.map((d) => d.nome)).toEqual(forbidden);
    for (const d of result.dropped) expect(d.motivo).toMatch(/reservado/);
  });

  it('reports a dropped name cut to 60 characters (an operator could send anything)', () => {
    const longName = `x ${'a'.repeat(500)}`;
    const result = compose({ seguranca: [{ chave: longName, token: 't' }] });
    expect(result.dropped).toEqual([{ nome: longName.slice(0, 60), motivo: expect.any(String) }]);
  });
});
