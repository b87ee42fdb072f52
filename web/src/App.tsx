/** Routes: sign-in when nobody is signed in, otherwise the shell with the screens the role may open. */
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { setUnauthenticatedHandler } from './api/client';
import { useMe, meKey } from './api/session';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Shell } from './components/Shell';
import { landingPath, mayOpen, type ScreenKey } from './lib/access';
import { SignIn } from './screens/SignIn';

const screens = {
  Home: lazy(() => import('./screens/Home')),
  Households: lazy(() => import('./screens/households/HouseholdList')),
  HouseholdDetail: lazy(() => import('./screens/households/HouseholdDetail')),
  HouseholdForm: lazy(() => import('./screens/households/HouseholdForm')),
  DuplicateList: lazy(() =>
    import('./screens/households/Duplicates').then((module) => ({ default: module.DuplicateList })),
  ),
  DuplicateReview: lazy(() =>
    import('./screens/households/Duplicates').then((module) => ({
      default: module.DuplicateReview,
    })),
  ),
  Counter: lazy(() => import('./screens/Counter')),
  Cycles: lazy(() => import('./screens/cycles/CycleList')),
  CycleDetail: lazy(() => import('./screens/cycles/CycleDetail')),
  Programmes: lazy(() => import('./screens/programmes/ProgrammeList')),
  ProgrammeEditor: lazy(() => import('./screens/programmes/ProgrammeEditor')),
  Import: lazy(() => import('./screens/Import')),
  Cards: lazy(() => import('./screens/Cards')),
  Stock: lazy(() => import('./screens/Stock')),
  Users: lazy(() => import('./screens/admin/Users')),
  OrgUnits: lazy(() => import('./screens/admin/OrgUnits')),
  Areas: lazy(() => import('./screens/admin/Areas')),
  Partners: lazy(() => import('./screens/admin/Partners')),
  ServicePoints: lazy(() => import('./screens/admin/ServicePoints')),
  Tokens: lazy(() => import('./screens/admin/Tokens')),
  Audit: lazy(() => import('./screens/Audit')),
  Settings: lazy(() => import('./screens/Settings')),
};

const routes: {
  path: string;
  screen: ScreenKey | null;
  component: LazyExoticComponent<ComponentType>;
}[] = [
  { path: '/', screen: 'home', component: screens.Home },
  { path: '/households', screen: 'households', component: screens.Households },
  { path: '/households/new', screen: 'households', component: screens.HouseholdForm },
  { path: '/households/duplicates', screen: 'households', component: screens.DuplicateList },
  { path: '/households/duplicates/:id', screen: 'households', component: screens.DuplicateReview },
  { path: '/households/:id', screen: 'households', component: screens.HouseholdDetail },
  { path: '/households/:id/edit', screen: 'households', component: screens.HouseholdForm },
  { path: '/counter', screen: 'counter', component: screens.Counter },
  { path: '/cycles', screen: 'cycles', component: screens.Cycles },
  { path: '/cycles/:id', screen: 'cycles', component: screens.CycleDetail },
  { path: '/programmes', screen: 'programmes', component: screens.Programmes },
  { path: '/programmes/new', screen: 'programmes', component: screens.ProgrammeEditor },
  { path: '/programmes/:id', screen: 'programmes', component: screens.ProgrammeEditor },
  { path: '/import', screen: 'import', component: screens.Import },
  { path: '/cards', screen: 'cards', component: screens.Cards },
  { path: '/stock', screen: 'stock', component: screens.Stock },
  { path: '/admin/users', screen: 'users', component: screens.Users },
  { path: '/admin/org-units', screen: 'orgUnits', component: screens.OrgUnits },
  { path: '/admin/areas', screen: 'areas', component: screens.Areas },
  { path: '/admin/partners', screen: 'partners', component: screens.Partners },
  { path: '/admin/service-points', screen: 'servicePoints', component: screens.ServicePoints },
  { path: '/admin/tokens', screen: 'tokens', component: screens.Tokens },
  { path: '/audit', screen: 'audit', component: screens.Audit },
  { path: '/settings', screen: null, component: screens.Settings },
];

function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite" data-loading>
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

export function App() {
  const me = useMe();
  const { t } = useTranslation();
  const client = useQueryClient();
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    setUnauthenticatedHandler(() => client.setQueryData(meKey, null));
    return () => setUnauthenticatedHandler(null);
  }, [client]);

  if (me.isPending) return <Loading />;
  const user = me.data ?? null;

  if (!user) {
    return (
      <Routes>
        <Route
          path="/sign-in"
          element={
            <SignIn
              onSignedIn={(role) => navigate(nextPath(location.state, role), { replace: true })}
            />
          }
        />
        <Route
          path="*"
          element={<Navigate to="/sign-in" replace state={{ from: location.pathname }} />}
        />
      </Routes>
    );
  }

  return (
    <Shell user={user}>
      <ErrorBoundary key={location.pathname} message={t('app.crashed')} reload={t('app.reload')}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/sign-in" element={<Navigate to={landingPath(user.role)} replace />} />
            {routes.map(({ path, screen, component: Screen }) => (
              <Route
                key={path}
                path={path}
                element={
                  screen === null || mayOpen(user.role, screen) ? (
                    <Screen />
                  ) : (
                    <Navigate to={landingPath(user.role)} replace />
                  )
                }
              />
            ))}
            <Route path="*" element={<p role="alert">{t('app.notFound')}</p>} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </Shell>
  );
}

function nextPath(state: unknown, role: Parameters<typeof landingPath>[0]): string {
  const from = (state as { from?: string } | null)?.from;
  return from && from !== '/sign-in' && from !== '/' ? from : landingPath(role);
}
