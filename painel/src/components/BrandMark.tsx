import { ThemeIcon } from '@mantine/core';
import { IconBuildingBridge2 } from '@tabler/icons-react';

export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <ThemeIcon size={size} radius="md" variant="gradient" gradient={{ from: 'indigo.7', to: 'cyan.6', deg: 135 }} aria-hidden>
      <IconBuildingBridge2 size={Math.round(size * 0.62)} stroke={1.8} />
    </ThemeIcon>
  );
}
