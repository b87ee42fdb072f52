/** The frame around every screen: header, the menu the role may use, the demo banner. */
import {
  Alert,
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useSignOut, type Me } from '../api/session';
import { mayOpen, type ScreenKey } from '../lib/access';

interface MenuEntry {
  screen: ScreenKey;
  path: string;
  label: string;
}

const mainEntries: MenuEntry[] = [
  { screen: 'home', path: '/', label: 'menu.home' },
  { screen: 'counter', path: '/counter', label: 'menu.counter' },
  { screen: 'households', path: '/households', label: 'menu.households' },
  { screen: 'cycles', path: '/cycles', label: 'menu.cycles' },
  { screen: 'runs', path: '/runs', label: 'menu.runs' },
  { screen: 'programmes', path: '/programmes', label: 'menu.programmes' },
  { screen: 'import', path: '/import', label: 'menu.import' },
  { screen: 'cards', path: '/cards', label: 'menu.cards' },
  { screen: 'stock', path: '/stock', label: 'menu.stock' },
  { screen: 'warehouse', path: '/warehouse', label: 'menu.warehouse' },
  { screen: 'inspections', path: '/inspections', label: 'menu.inspections' },
  { screen: 'volunteers', path: '/volunteers', label: 'menu.volunteers' },
  { screen: 'trainings', path: '/trainings', label: 'menu.trainings' },
  { screen: 'teams', path: '/teams', label: 'menu.teams' },
  { screen: 'fieldExceptions', path: '/field-exceptions', label: 'menu.exceptions' },
  { screen: 'fieldDevices', path: '/field-devices', label: 'menu.devices' },
  { screen: 'inbox', path: '/inbox', label: 'menu.inbox' },
  { screen: 'circulars', path: '/circulars', label: 'menu.circulars' },
  { screen: 'messages', path: '/messages', label: 'menu.messages' },
  { screen: 'meetings', path: '/meetings', label: 'menu.meetings' },
  { screen: 'audit', path: '/audit', label: 'menu.audit' },
];

const adminEntries: MenuEntry[] = [
  { screen: 'users', path: '/admin/users', label: 'menu.users' },
  { screen: 'orgUnits', path: '/admin/org-units', label: 'menu.orgUnits' },
  { screen: 'areas', path: '/admin/areas', label: 'menu.areas' },
  { screen: 'partners', path: '/admin/partners', label: 'menu.partners' },
  { screen: 'servicePoints', path: '/admin/service-points', label: 'menu.servicePoints' },
  { screen: 'tokens', path: '/admin/tokens', label: 'menu.tokens' },
];

function isActive(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

export function Shell({ user, children }: { user: Me; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const signOut = useSignOut();
  const main = mainEntries.filter((entry) => mayOpen(user.role, entry.screen));
  const admin = adminEntries.filter((entry) => mayOpen(user.role, entry.screen));

  const link = (entry: MenuEntry) => (
    <NavLink
      key={entry.path}
      component={Link}
      to={entry.path}
      label={t(entry.label)}
      active={isActive(pathname, entry.path)}
      aria-current={isActive(pathname, entry.path) ? 'page' : undefined}
      onClick={close}
      data-screen={entry.screen}
    />
  );

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('app.closeMenu') : t('app.openMenu')}
              aria-expanded={opened}
              aria-controls="main-menu"
            />
            <Title order={1} size="h3" c="teal.9">
              {t('app.name')}
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" data-testid="signed-in-as">
              {t('auth.signedInAs', { name: user.display_name, role: t(`roles.${user.role}`) })}
            </Text>
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => signOut.mutate()}
              loading={signOut.isPending}
            >
              {t('auth.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" id="main-menu" component="nav" aria-label={t('menu.label')}>
        <ScrollArea>
          {main.map(link)}
          {admin.length > 0 && (
            <NavLink label={t('menu.admin')} defaultOpened childrenOffset="sm" data-screen="admin">
              {admin.map(link)}
            </NavLink>
          )}
          <NavLink
            component={Link}
            to="/settings"
            label={t('menu.settings')}
            active={pathname === '/settings'}
            onClick={close}
            data-screen="settings"
          />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {user.demo && (
          <Alert color="yellow" variant="light" mb="md" role="status" data-testid="demo-banner">
            {t('app.demoBanner')}
          </Alert>
        )}
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
