import { Button } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState.tsx';

export function NotFoundPage() {
  return (
    <EmptyState
      icon={<IconMapQuestion size={28} />}
      title="Página não encontrada"
      description="Este endereço não existe no painel. Use o menu à esquerda para escolher uma seção."
      action={
        <Button component={Link} to="/integracao">
          Ir para a integração
        </Button>
      }
    />
  );
}
