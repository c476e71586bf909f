// Placeholder: replaced by the screen in this session.
export function FormulariosPage() {
  return null;
}
