import { Paper, Skeleton, Stack } from '@mantine/core';

/** Loading placeholder shaped like the table that is coming. */
export function TableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Paper withBorder radius="md" p="md" role="status" aria-busy="true" aria-label="Carregando">
      <Stack gap="sm">
        <Skeleton height={18} width="40%" />
        {Array.from({ length: rows }, (_, index) => (
          <Skeleton key={index} height={34} />
        ))}
      </Stack>
    </Paper>
  );
}

export function FormSkeleton({ fields = 4 }: { fields?: number }) {
  return (
    <Paper withBorder radius="md" p="lg" role="status" aria-busy="true" aria-label="Carregando">
      <Stack gap="lg">
        {Array.from({ length: fields }, (_, index) => (
          <Stack key={index} gap={6}>
            <Skeleton height={12} width={140} />
            <Skeleton height={36} />
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
