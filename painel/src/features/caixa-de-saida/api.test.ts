import { describe, expect, it } from 'vitest';
import { codigoDe, partesDe } from './api.ts';

describe('caixa de saída: reading a stored message', () => {
  it('finds the 6-digit code, and only a standalone one', () => {
    expect(codigoDe('Operadora: seu código para recuperar a senha é 047210. Vale por 10 minutos.')).toBe('047210');
    expect(codigoDe('Olá!\n\nSeu código é:\n\n505115\n\nEle vale por 10 minutos.')).toBe('505115');
    expect(codigoDe('Protocolo 12345678, sem código')).toBeNull();
    expect(codigoDe('Ligue 11990000001')).toBeNull();
  });

  it('splits an e-mail into assunto and corpo; an SMS is all corpo', () => {
    expect(partesDe('email', 'Operadora: código\n\nOlá!\n\nSeu código é 123456.')).toEqual({ assunto: 'Operadora: código', corpo: 'Olá!\n\nSeu código é 123456.' });
    expect(partesDe('sms', 'Operadora: seu código é 123456.')).toEqual({ assunto: null, corpo: 'Operadora: seu código é 123456.' });
  });
});
