/** Entry point: providers (direction, theme, settings, queries, router) around the app. */
import '@fontsource/noto-sans-arabic/arabic-400.css';
import '@fontsource/noto-sans-arabic/arabic-700.css';
import '@mantine/core/styles.css';
import './app.css';
import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { ApiError } from './api/client';
import './i18n';
import { SettingsProvider } from './lib/settings-context';
import { directionOf, loadSettings } from './lib/settings';

const theme = createTheme({
  primaryColor: 'teal',
  // Darker shades keep white text on buttons above WCAG AA contrast.
  primaryShade: 8,
  fontFamily:
    "'Noto Sans Arabic', 'Noto Naskh Arabic', 'Segoe UI', Tahoma, 'DejaVu Sans', system-ui, sans-serif",
  headings: { fontFamily: "'Noto Sans Arabic', 'Segoe UI', Tahoma, system-ui, sans-serif" },
  defaultRadius: 'md',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Problems the user caused (4xx) do not get better by asking again.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const direction = directionOf(loadSettings().language);
document.documentElement.dir = direction;

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <DirectionProvider initialDirection={direction} detectDirection={false}>
        <MantineProvider theme={theme} defaultColorScheme="light">
          <SettingsProvider>
            <QueryClientProvider client={queryClient}>
              <BrowserRouter>
                <App />
              </BrowserRouter>
            </QueryClientProvider>
          </SettingsProvider>
        </MantineProvider>
      </DirectionProvider>
    </StrictMode>,
  );
}
