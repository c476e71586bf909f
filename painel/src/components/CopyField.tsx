import { ActionIcon, CopyButton, Group, Code, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** A value shown in monospace with a copy button beside it. */
export function CopyField({ value, label = 'Copiar', block = false }: { value: string; label?: string; block?: boolean }) {
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Code block={block} style={{ wordBreak: 'break-all', flex: block ? 1 : undefined }}>
        {value}
      </Code>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copiado' : label} withArrow>
            <ActionIcon variant="light" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
