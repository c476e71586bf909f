import { Center, Loader, Stack, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useState } from 'react';
import { IconButton, TopBar } from '../components.tsx';

/**
 * The operator's page as the app's WebView shows it: the URL `abrir` returned (with the chave passe),
 * the whole height of the phone under a bar with "Voltar" and the funcionalidade's name.
 */
export function WebViewScreen({ titulo, url, onVoltar }: { titulo: string; url: string; onVoltar: () => void }) {
  const [carregada, setCarregada] = useState(false);
  return (
    <div className="demo-screen">
      <TopBar
        title={titulo}
        onBack={onVoltar}
        end={
          <IconButton label="Abrir em nova aba" href={url}>
            <IconExternalLink size={18} />
          </IconButton>
        }
      />
      <div className="demo-webview">
        {/* A real app's WebView lets the operator's page write to the clipboard (its "copiar" buttons): so does this one. */}
        <iframe title={`${titulo} (página da operadora)`} src={url} referrerPolicy="no-referrer" allow="clipboard-write" onLoad={() => setCarregada(true)} />
        {carregada ? null : (
          <Center pos="absolute" inset={0} bg="white">
            <Stack align="center" gap="xs">
              <Loader size="sm" />
              <Text size="sm" c="dimmed">
                Abrindo {titulo}…
              </Text>
            </Stack>
          </Center>
        )}
      </div>
    </div>
  );
}
