/** Routes: sign-in when nobody is signed in, otherwise the shell with the screens the role may open. */
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { setUnauthenticatedHandler } from './api/client';
import { useMe, meKey } from './api/session';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorBoundary } from './components/ErrorBoundary';
import { PageTitle, useHeadingFocusOnNavigation } from './components/PageTitle';
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
  Runs: lazy(() => import('./screens/runs/RunBoard')),
  RunDetail: lazy(() => import('./screens/runs/RunDetail')),
  Programmes: lazy(() => import('./screens/programmes/ProgrammeList')),
  ProgrammeEditor: lazy(() => import('./screens/programmes/ProgrammeEditor')),
  ProgrammeEdit: lazy(() =>
    import('./screens/programmes/ProgrammeEditor').then((module) => ({
      default: module.ProgrammeEdit,
    })),
  ),
  Import: lazy(() => import('./screens/Import')),
  Cards: lazy(() => import('./screens/Cards')),
  Stock: lazy(() => import('./screens/Stock')),
  Warehouse: lazy(() => import('./screens/stores/Warehouse')),
  Inspections: lazy(() => import('./screens/stores/Inspections')),
  Volunteers: lazy(() => import('./screens/crew/Volunteers')),
  VolunteerDetail: lazy(() => import('./screens/crew/VolunteerDetail')),
  Trainings: lazy(() => import('./screens/crew/Trainings')),
  Teams: lazy(() => import('./screens/crew/Teams')),
  FieldExceptions: lazy(() => import('./screens/crew/Exceptions')),
  FieldDevices: lazy(() => import('./screens/crew/Devices')),
  Users: lazy(() => import('./screens/admin/Users')),
  OrgUnits: lazy(() => import('./screens/admin/OrgUnits')),
  Areas: lazy(() => import('./screens/admin/Areas')),
  Partners: lazy(() => import('./screens/admin/Partners')),
  ServicePoints: lazy(() => import('./screens/admin/ServicePoints')),
  Tokens: lazy(() => import('./screens/admin/Tokens')),
  Audit: lazy(() => import('./screens/Audit')),
  Inbox: lazy(() => import('./screens/voice/Inbox')),
  Messages: lazy(() => import('./screens/voice/Messages')),
  Circulars: lazy(() => import('./screens/voice/Circulars')),
  Meetings: lazy(() => import('./screens/voice/Meetings')),
  Settings: lazy(() => import('./screens/Settings')),
};

/** Each route with the screen it belongs to and the i18n key of its page title. */
const routes: {
  path: string;
  screen: ScreenKey | null;
  title: string;
  component: LazyExoticComponent<ComponentType>;
}[] = [
  { path: '/', screen: 'home', title: 'menu.home', component: screens.Home },
  {
    path: '/households',
    screen: 'households',
    title: 'menu.households',
    component: screens.Households,
  },
  {
    path: '/households/new',
    screen: 'households',
    title: 'households.registerTitle',
    component: screens.HouseholdForm,
  },
  {
    path: '/households/duplicates',
    screen: 'households',
    title: 'households.duplicates.title',
    component: screens.DuplicateList,
  },
  {
    path: '/households/duplicates/:id',
    screen: 'households',
    title: 'households.duplicates.reviewTitle',
    component: screens.DuplicateReview,
  },
  {
    path: '/households/:id',
    screen: 'households',
    title: 'titles.household',
    component: screens.HouseholdDetail,
  },
  {
    path: '/households/:id/edit',
    screen: 'households',
    title: 'households.editTitle',
    component: screens.HouseholdForm,
  },
  { path: '/counter', screen: 'counter', title: 'menu.counter', component: screens.Counter },
  { path: '/cycles', screen: 'cycles', title: 'menu.cycles', component: screens.Cycles },
  { path: '/cycles/:id', screen: 'cycles', title: 'cycles.cycle', component: screens.CycleDetail },
  { path: '/runs', screen: 'runs', title: 'menu.runs', component: screens.Runs },
  { path: '/runs/:id', screen: 'runs', title: 'titles.run', component: screens.RunDetail },
  {
    path: '/programmes',
    screen: 'programmes',
    title: 'menu.programmes',
    component: screens.Programmes,
  },
  {
    path: '/programmes/new',
    screen: 'programmes',
    title: 'programmes.createTitle',
    component: screens.ProgrammeEditor,
  },
  {
    path: '/programmes/:id',
    screen: 'programmes',
    title: 'titles.programme',
    component: screens.ProgrammeEditor,
  },
  {
    path: '/programmes/:id/edit',
    screen: 'programmes',
    title: 'programmes.editTitle',
    component: screens.ProgrammeEdit,
  },
  { path: '/import', screen: 'import', title: 'menu.import', component: screens.Import },
  { path: '/cards', screen: 'cards', title: 'menu.cards', component: screens.Cards },
  { path: '/stock', screen: 'stock', title: 'menu.stock', component: screens.Stock },
  {
    path: '/warehouse',
    screen: 'warehouse',
    title: 'menu.warehouse',
    component: screens.Warehouse,
  },
  {
    path: '/inspections',
    screen: 'inspections',
    title: 'menu.inspections',
    component: screens.Inspections,
  },
  {
    path: '/volunteers',
    screen: 'volunteers',
    title: 'menu.volunteers',
    component: screens.Volunteers,
  },
  {
    path: '/volunteers/:id',
    screen: 'volunteers',
    title: 'titles.volunteer',
    component: screens.VolunteerDetail,
  },
  {
    path: '/trainings',
    screen: 'trainings',
    title: 'menu.trainings',
    component: screens.Trainings,
  },
  { path: '/teams', screen: 'teams', title: 'menu.teams', component: screens.Teams },
  {
    path: '/field-exceptions',
    screen: 'fieldExceptions',
    title: 'menu.exceptions',
    component: screens.FieldExceptions,
  },
  {
    path: '/field-devices',
    screen: 'fieldDevices',
    title: 'menu.devices',
    component: screens.FieldDevices,
  },
  { path: '/admin/users', screen: 'users', title: 'menu.users', component: screens.Users },
  {
    path: '/admin/org-units',
    screen: 'orgUnits',
    title: 'menu.orgUnits',
    component: screens.OrgUnits,
  },
  { path: '/admin/areas', screen: 'areas', title: 'menu.areas', component: screens.Areas },
  {
    path: '/admin/partners',
    screen: 'partners',
    title: 'menu.partners',
    component: screens.Partners,
  },
  {
    path: '/admin/service-points',
    screen: 'servicePoints',
    title: 'menu.servicePoints',
    component: screens.ServicePoints,
  },
  { path: '/admin/tokens', screen: 'tokens', title: 'menu.tokens', component: screens.Tokens },
  { path: '/audit', screen: 'audit', title: 'menu.audit', component: screens.Audit },
  { path: '/inbox', screen: 'inbox', title: 'menu.inbox', component: screens.Inbox },
  { path: '/messages', screen: 'messages', title: 'menu.messages', component: screens.Messages },
  {
    path: '/circulars',
    screen: 'circulars',
    title: 'menu.circulars',
    component: screens.Circulars,
  },
  { path: '/meetings', screen: 'meetings', title: 'menu.meetings', component: screens.Meetings },
  { path: '/settings', screen: null, title: 'menu.settings', component: screens.Settings },
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
  useHeadingFocusOnNavigation(location.pathname);

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
            <>
              <PageTitle title={t('auth.title')} />
              <SignIn
                onSignedIn={(role) => navigate(nextPath(location.state, role), { replace: true })}
              />
            </>
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
            {routes.map(({ path, screen, title, component: Screen }) => (
              <Route
                key={path}
                path={path}
                element={
                  screen === null || mayOpen(user.role, screen) ? (
                    <>
                      <PageTitle title={t(title)} />
                      <Screen />
                    </>
                  ) : (
                    <Navigate to={landingPath(user.role)} replace />
                  )
                }
              />
            ))}
            <Route
              path="*"
              element={
                <>
                  <PageTitle title={t('titles.notFound')} />
                  <p role="alert">{t('app.notFound')}</p>
                </>
              }
            />
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
