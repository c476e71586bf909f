// Placeholder: replaced by the screen in this session.
export function InicioPage() {
  return null;
}
