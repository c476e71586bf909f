import { Button } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useWorkspace } from './workspace.tsx';

export function NotFoundPage() {
  const { link } = useWorkspace();
  return (
    <EmptyState
      icon={<IconMapQuestion size={28} />}
      title="Página não encontrada"
      description="Este endereço não existe no painel. Use o menu à esquerda para escolher uma seção."
      action={
        <Button component={Link} to={link('integracao')}>
          Ir para a integração
        </Button>
      }
    />
  );
}
