// Placeholder: replaced by the screen in this session.
export function FuncionalidadesPage() {
  return null;
}
