// Placeholder: replaced by the screen in this session.
export function CaixaDeSaidaPage() {
  return null;
}
