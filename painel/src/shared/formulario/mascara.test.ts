import { describe, expect, it } from 'vitest';
import { aplicarMascara, exemploDeMascara, semMascara } from './mascara.ts';

const CPF = '999.999.999-99';
const TELEFONE = '(99) 99999-9999';

/** Types `texto` one character at a time, applying the mask to the whole value after each one, as the input does. */
function digitar(texto: string, mascara: string): string {
  let valor = '';
  for (const c of texto) valor = aplicarMascara(valor + c, mascara);
  return valor;
}

describe('aplicarMascara', () => {
  it('inserts the literals between what is typed', () => {
    expect(aplicarMascara('52998224725', CPF)).toBe('529.982.247-25');
    expect(aplicarMascara('11987654321', TELEFONE)).toBe('(11) 98765-4321');
    expect(aplicarMascara('31122000', '99/99/9999')).toBe('31/12/2000');
  });

  it('adds a literal only before a character that follows it', () => {
    expect(aplicarMascara('529', CPF)).toBe('529');
    expect(aplicarMascara('5299', CPF)).toBe('529.9');
    expect(aplicarMascara('1', TELEFONE)).toBe('(1');
    expect(aplicarMascara('', CPF)).toBe('');
  });

  it('gives the same value typed one key at a time as pasted at once', () => {
    expect(digitar('52998224725', CPF)).toBe('529.982.247-25');
    expect(digitar('11987654321', TELEFONE)).toBe('(11) 98765-4321');
    expect(digitar('AB12CD', 'AA-99-AA')).toBe('AB-12-CD');
  });

  it('keeps an already masked value as it is (re-applying is stable)', () => {
    for (const [valor, mascara] of [
      ['529.982.247-25', CPF],
      ['(11) 98765-4321', TELEFONE],
      ['+55 (11) 98765-4321', '+55 (99) 99999-9999'],
      ['AB-12', 'AA-99'],
    ] as const) {
      expect(aplicarMascara(valor, mascara)).toBe(valor);
    }
  });

  it('does not take a typed digit for a digit literal of the mask', () => {
    // The "5" typed first is the first digit of the number, not the "55" of the country code.
    expect(aplicarMascara('5', '+55 (99) 99999-9999')).toBe('+55 (5');
    expect(digitar('11987654321', '+55 (99) 99999-9999')).toBe('+55 (11) 98765-4321');
    expect(digitar('55119', '+55 (99) 99999-9999')).toBe('+55 (55) 119');
  });

  it('drops what does not fit a slot and what goes past the mask', () => {
    expect(aplicarMascara('52a9.98x2', CPF)).toBe('529.982');
    expect(aplicarMascara('529982247251234', CPF)).toBe('529.982.247-25');
    expect(aplicarMascara('1A2B', 'AA99')).toBe('AB');
    expect(aplicarMascara('123-456', '999.999')).toBe('123.456');
  });

  it('accepts letters with accents in A slots and letters or digits in * slots', () => {
    expect(aplicarMascara('ÇÃ', 'AA')).toBe('ÇÃ');
    expect(aplicarMascara('a1-b2', '**-**')).toBe('a1-b2');
    expect(aplicarMascara('a1b2', '**-**')).toBe('a1-b2');
  });
});

describe('semMascara and exemploDeMascara', () => {
  it('strips the literals and shows the slots as blanks', () => {
    expect(semMascara('529.982.247-25')).toBe('52998224725');
    expect(exemploDeMascara(TELEFONE)).toBe('(__) _____-____');
    expect(exemploDeMascara('AA-**')).toBe('__-__');
  });
});
