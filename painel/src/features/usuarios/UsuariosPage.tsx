// Placeholder: replaced by the screen in this session.
export function UsuariosPage() {
  return null;
}
