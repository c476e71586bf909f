import { Button } from '@mantine/core';
import { IconBuildingOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useWorkspace, workspacePath } from './workspace.tsx';

/** A link to a cliente this user does not take part in (or that does not exist). */
export function ClienteSemAcesso() {
  const { sessao } = useWorkspace();
  const primeiro = sessao.clientes[0];
  return (
    <EmptyState
      icon={<IconBuildingOff size={28} />}
      title="Cliente não encontrado"
      description="Este endereço é de um cliente que não existe ou do qual seu usuário não participa. Peça acesso a um administrador do cliente, ou escolha um dos seus clientes."
      action={
        primeiro ? (
          <Button component={Link} to={workspacePath(primeiro.id, 1)}>
            Abrir {primeiro.nome}
          </Button>
        ) : undefined
      }
    />
  );
}
