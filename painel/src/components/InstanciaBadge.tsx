import { Badge } from '@mantine/core';
import { useWorkspace } from '../features/shell/workspace.tsx';

/** Which instância an instância-scoped screen shows. */
export function InstanciaBadge() {
  const { instancia, instanciaNome } = useWorkspace();
  return (
    <Badge variant="light" color={instancia === 2 ? 'orange' : 'teal'} size="lg" radius="sm">
      {instanciaNome}
    </Badge>
  );
}
