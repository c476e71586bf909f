/**
 * The browser side of embedded funcionalidades, versioned by path (`/sdk/v1/…`): plain ES2017 with
 * no dependencies, served as written.
 *
 * - `embed.js` runs in the operator's page: `ponte.embed({ elemento, chaveFuncionalidade,
 *   instanciaApp, token })` asks Ponte whether this origin may embed the funcionalidade (a clear
 *   message in the element when not), then adds an iframe of Ponte's frame page and, once the
 *   frame says it is ready, hands it the chaveAuth token with `postMessage` addressed to Ponte's
 *   origin only (never in a URL, never to the funcionalidade's page).
 * - `frame.js` runs in Ponte's frame page (framed only by registered origins): it takes the token
 *   from a registered parent origin, asks `POST /sdk/v1/abrir` for the funcionalidade's URL with a
 *   fresh chave passe and navigates there, so the page receives `?chavePasse=…` exactly as in the app.
 */

export const EMBED_JS = String.raw`/* Ponte — funcionalidades embutidas, v1. Uso: ponte.embed({ elemento, chaveFuncionalidade, instanciaApp, token }) */
(function () {
  'use strict';
  var script = document.currentScript;
  var ponte = new URL(script && script.src ? script.src : '/', location.href).origin;

  function mostrarErro(alvo, mensagem) {
    alvo.textContent = '';
    var aviso = document.createElement('div');
    aviso.setAttribute('role', 'alert');
    aviso.setAttribute('data-ponte-erro', '');
    aviso.style.cssText = 'font:14px/1.4 system-ui,sans-serif;color:#8a1c1c;background:#fff4f4;border:1px solid #f1b5b5;border-radius:8px;padding:12px';
    aviso.textContent = mensagem;
    alvo.appendChild(aviso);
  }

  function embed(opcoes) {
    opcoes = opcoes || {};
    var alvo = typeof opcoes.elemento === 'string' ? document.getElementById(opcoes.elemento) || document.querySelector(opcoes.elemento) : opcoes.elemento;
    if (!alvo) throw new Error('ponte.embed: elemento não encontrado: ' + opcoes.elemento);
    var chave = String(opcoes.chaveFuncionalidade || '');
    var instancia = String(opcoes.instanciaApp == null ? '' : opcoes.instanciaApp);
    var token = opcoes.token == null || opcoes.token === '' ? null : String(opcoes.token);
    var aoErro = typeof opcoes.aoErro === 'function' ? opcoes.aoErro : function () {};
    var falhar = function (mensagem) {
      mostrarErro(alvo, mensagem);
      aoErro(new Error(mensagem));
    };
    if (!chave || (instancia !== '1' && instancia !== '2')) {
      falhar('ponte.embed: informe chaveFuncionalidade e instanciaApp (1 = Sandbox, 2 = Produção).');
      return { remover: function () {} };
    }
    var iframe = null;
    var aoMensagem = function (evento) {
      if (!iframe || evento.source !== iframe.contentWindow || evento.origin !== ponte) return;
      var dados = evento.data || {};
      if (dados.ponte === 'pronto') iframe.contentWindow.postMessage({ ponte: 'sessao', token: token }, ponte);
      else if (dados.ponte === 'erro') falhar(String(dados.mensagem || 'Não foi possível abrir a funcionalidade.'));
    };
    window.addEventListener('message', aoMensagem);
    var consulta = '?chaveFuncionalidade=' + encodeURIComponent(chave) + '&instanciaApp=' + encodeURIComponent(instancia);
    fetch(ponte + '/sdk/v1/permissao' + consulta, { credentials: 'omit' })
      .then(function (resposta) { return resposta.json(); })
      .then(function (permissao) {
        if (!permissao.permitida) return falhar(permissao.mensagem || 'Esta página não pode embutir a funcionalidade.');
        iframe = document.createElement('iframe');
        iframe.src = ponte + '/sdk/v1/frame' + consulta;
        iframe.title = opcoes.titulo || 'Funcionalidade';
        iframe.setAttribute('allow', 'geolocation');
        iframe.style.cssText = 'width:100%;height:100%;min-height:' + (opcoes.altura || '480px') + ';border:0';
        alvo.textContent = '';
        alvo.appendChild(iframe);
      })
      .catch(function () { falhar('Não foi possível falar com a Ponte para abrir a funcionalidade. Tente de novo em instantes.'); });
    return {
      remover: function () {
        window.removeEventListener('message', aoMensagem);
        if (iframe && iframe.parentNode) iframe.parentNode.removeChild(iframe);
      },
    };
  }

  window.ponte = window.ponte || {};
  window.ponte.embed = embed;
  window.ponte.versao = '1';
})();
`;

export const FRAME_JS = String.raw`/* Ponte — página intermediária das funcionalidades embutidas, v1. */
(function () {
  'use strict';
  var raiz = document.documentElement;
  var origens = JSON.parse(raiz.getAttribute('data-origens') || '[]');
  var chave = raiz.getAttribute('data-chave') || '';
  var instancia = raiz.getAttribute('data-instancia') || '';
  var status = document.getElementById('status');
  var usado = false;

  function erro(mensagem, origem) {
    status.textContent = mensagem;
    status.setAttribute('role', 'alert');
    if (origem) parent.postMessage({ ponte: 'erro', mensagem: mensagem }, origem);
  }

  window.addEventListener('message', function (evento) {
    if (evento.source !== parent || origens.indexOf(evento.origin) < 0) return;
    var dados = evento.data || {};
    if (dados.ponte !== 'sessao' || usado) return;
    usado = true;
    fetch('/sdk/v1/abrir', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({ chaveFuncionalidade: chave, instanciaApp: instancia, token: typeof dados.token === 'string' ? dados.token : null, origem: evento.origin }),
    })
      .then(function (resposta) {
        return resposta.json().then(function (corpo) {
          if (!resposta.ok) throw new Error((corpo && corpo.error && corpo.error.message) || 'Não foi possível abrir a funcionalidade.');
          return corpo;
        });
      })
      .then(function (aberta) { location.replace(aberta.url); })
      .catch(function (falha) { erro(falha.message, evento.origin); });
  });

  // Announced to every registered origin the parent may be (the browser delivers only to the real one).
  for (var i = 0; i < origens.length; i++) parent.postMessage({ ponte: 'pronto' }, origens[i]);
})();
`;

const escapeAttribute = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The frame page: the origins and the funcionalidade in data attributes, its logic in frame.js (no inline script). */
export function framePage(input: { origens: string[]; chave: string; instancia: 1 | 2 }): string {
  return `<!doctype html>
<html lang="pt-BR" data-origens="${escapeAttribute(JSON.stringify(input.origens))}" data-chave="${escapeAttribute(input.chave)}" data-instancia="${input.instancia}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Abrindo funcionalidade…</title>
<style>body{font:14px/1.4 system-ui,sans-serif;color:#444;display:flex;align-items:center;justify-content:center;min-height:90vh;margin:0}</style></head>
<body><p id="status" aria-live="polite">Abrindo a funcionalidade…</p><script src="/sdk/v1/frame.js"></script></body>
</html>`;
}
