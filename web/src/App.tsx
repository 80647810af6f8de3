import { Suspense, useEffect, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryCache, QueryClient, QueryClientProvider, MutationCache, useQueryClient } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, setAuthHandlers } from './api/client';
import { ME_KEY, useMe } from './api/hooks';
import { I18nProvider, useI18n } from './i18n';
import { BILLS_PATH, LlmRobotEditor, MENU, ScriptEditor, TaskForm, TaskView } from './menu';
import { menuLeaves } from './menuTree';
import { accessOf, canViewRobot, canViewTasks } from './access';
import MainLayout from './layout/MainLayout';
import OperatorLayout from './layout/OperatorLayout';
import LoginPage from './pages/LoginPage';
import ForcedPasswordPage from './pages/ForcedPasswordPage';
import ChangePasswordPage from './pages/ChangePasswordPage';
import ProfilePage from './pages/ProfilePage';
import CompaniesPage from './pages/operator/CompaniesPage';
import OperatorLinesPage from './pages/operator/LinesPage';
import { ForbiddenPage, NotFoundPage } from './pages/ResultPages';
import { FORCED_PASSWORD_PATH, FullPageSpin } from './components/common';

function makeQueryClient() {
  const retry = (count: number, err: unknown) => !(err instanceof ApiError && err.status > 0 && err.status < 500) && count < 2;
  return new QueryClient({
    queryCache: new QueryCache(),
    mutationCache: new MutationCache(),
    defaultOptions: {
      queries: { retry, refetchOnWindowFocus: false, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}

const queryClient = makeQueryClient();

/** Wires 401 -> /login and 403 PASSWORD_CHANGE_REQUIRED -> forced change page. */
function AuthBridge() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setAuthHandlers({
      onUnauthorized: () => {
        qc.setQueryData(ME_KEY, null);
        navigate('/login', { replace: true });
      },
      onPasswordChangeRequired: () => {
        void qc.invalidateQueries({ queryKey: ME_KEY });
        navigate(FORCED_PASSWORD_PATH, { replace: true });
      },
    });
    return () => setAuthHandlers({});
  }, [navigate, qc]);
  return null;
}

/** Guards: signed in, right kind, password changed. */
function RequireSession({ kind, children }: { kind: 'member' | 'operator'; children: ReactNode }) {
  const { data: me, isLoading, error } = useMe();
  const location = useLocation();
  if (isLoading) return <FullPageSpin />;
  if (error) return <NotFoundPage error={error} />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (me.must_change_password) return <Navigate to={FORCED_PASSWORD_PATH} replace />;
  if (me.kind !== kind) return <Navigate to={me.kind === 'operator' ? '/operator' : '/'} replace />;
  return <>{children}</>;
}

function MenuRoute({ allow, children }: { allow?: (ctx: ReturnType<typeof accessOf>) => boolean; children: ReactNode }) {
  const { data: me } = useMe();
  if (!me || me.kind !== 'member') return null;
  if (allow && !allow(accessOf(me))) return <ForbiddenPage />;
  return <>{children}</>;
}

function Localized({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#1677ff' } }}
      // Keep "登录" as typed (AntD would render "登 录"), so button names are stable.
      button={{ autoInsertSpace: false }}
    >
      {/* One toast at a time: a single one stays inside the header bar, above the page's buttons. */}
      <AntApp message={{ maxCount: 1, top: 12 }}>{children}</AntApp>
    </ConfigProvider>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path={FORCED_PASSWORD_PATH} element={<ForcedPasswordPage />} />
      <Route
        path="/operator"
        element={
          <RequireSession kind="operator">
            <OperatorLayout />
          </RequireSession>
        }
      >
        <Route index element={<CompaniesPage />} />
        <Route path="lines" element={<OperatorLinesPage />} />
        <Route path="password" element={<ChangePasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route
        path="/"
        element={
          <RequireSession kind="member">
            <MainLayout />
          </RequireSession>
        }
      >
        {menuLeaves(MENU).map((leaf) => {
          const Page = leaf.page!;
          const el = (
            <MenuRoute allow={leaf.allow}>
              <Suspense fallback={<FullPageSpin />}>
                <Page />
              </Suspense>
            </MenuRoute>
          );
          return leaf.path === '/' ? <Route key={leaf.key} index element={el} /> : <Route key={leaf.key} path={leaf.path.slice(1)} element={el} />;
        })}
        <Route
          path="robot/scripts/:id"
          element={
            <MenuRoute allow={canViewRobot}>
              <Suspense fallback={<FullPageSpin />}>
                <ScriptEditor />
              </Suspense>
            </MenuRoute>
          }
        />
        <Route
          path="robot/llm-robots/:id"
          element={
            <MenuRoute allow={canViewRobot}>
              <Suspense fallback={<FullPageSpin />}>
                <LlmRobotEditor />
              </Suspense>
            </MenuRoute>
          }
        />
        <Route
          path="call-center/tasks/new"
          element={
            <MenuRoute allow={canViewTasks}>
              <Suspense fallback={<FullPageSpin />}>
                <TaskForm />
              </Suspense>
            </MenuRoute>
          }
        />
        <Route
          path="call-center/tasks/:id/edit"
          element={
            <MenuRoute allow={canViewTasks}>
              <Suspense fallback={<FullPageSpin />}>
                <TaskForm />
              </Suspense>
            </MenuRoute>
          }
        />
        <Route
          path="call-center/tasks/:id"
          element={
            <MenuRoute allow={canViewTasks}>
              <Suspense fallback={<FullPageSpin />}>
                <TaskView />
              </Suspense>
            </MenuRoute>
          }
        />
        <Route path="callcenter/bills" element={<Navigate to={BILLS_PATH} replace />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="password" element={<ChangePasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function Providers({ children, client = queryClient }: { children: ReactNode; client?: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <Localized>{children}</Localized>
      </I18nProvider>
    </QueryClientProvider>
  );
}

export default function App() {
  return (
    <Providers>
      <BrowserRouter>
        <AuthBridge />
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  );
}

