import type { ReactNode } from 'react';
import { Grid, Spin } from 'antd';

export const FORCED_PASSWORD_PATH = '/password-required';
export const NOTIFICATIONS_PATH = '/settings/notifications';

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '50vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      <h1 className="vx-page-title" style={{ margin: 0, flex: 1 }}>
        {children}
      </h1>
      {extra}
    </div>
  );
}

/** Below 768px (AntD's `md` breakpoint). */
export function useIsMobile(): boolean {
  return Grid.useBreakpoint().md === false;
}
