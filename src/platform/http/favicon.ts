/**
 * Ponte's mark as a favicon, the same drawing as painel/public/favicon.svg (which the painel build
 * serves at /painel/favicon.svg): served at `/favicon.ico` and in /docs when the painel is not
 * built (src/app.ts reads the built file when there is one).
 */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Ponte">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#3b5bdb"/>
      <stop offset="1" stop-color="#15aabf"/>
    </linearGradient>
  </defs>
  <rect width="64" height="64" rx="14" fill="url(#g)"/>
  <g fill="none" stroke="#fff" stroke-width="4.5" stroke-linecap="round" stroke-linejoin="round">
    <path d="M10 40h44"/>
    <path d="M14 40V30a18 14 0 0 1 36 0v10"/>
    <path d="M22 40V24"/>
    <path d="M32 40V18"/>
    <path d="M42 40V24"/>
  </g>
</svg>
`;
