// The weekly call-time grid: rows 周一..周日, each day's ranges as blocks on a 0–24h scale.
// `WeekGrid` shows a week (templates, their preview); `WeekGridEditor` is the task form's
// control, the same rows with time range pickers under each day's bar.
import type { CSSProperties } from 'react';
import { Button, Dropdown, Space, TimePicker, Tooltip, Typography } from 'antd';
import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../i18n';
import { HOUR_TICKS, WEEKDAYS, WORKDAYS, copyDay, dayText, gridBlocks, sortedWeek, weekdayKey, type TimeRangeText, type WeekDays, type Weekday } from '../lib/callTime';

/** The hour labels 0:00, 3:00 … 24:00 over the bars. */
function HourTicks({ style, tickClassName, ...rest }: { style: CSSProperties; tickClassName?: string; role?: string; 'aria-label'?: string; 'aria-hidden'?: boolean }) {
  return (
    <div style={style} {...rest}>
      {HOUR_TICKS.map((h) => (
        <span key={h.hour} className={tickClassName} style={{ position: 'absolute', whiteSpace: 'nowrap', left: `${h.left}%`, transform: h.transform }}>
          {h.hour}:00
        </span>
      ))}
    </div>
  );
}

/** A read-only week. */
export default function WeekGrid({ days, compact }: { days: WeekDays; compact?: boolean }) {
  const { t } = useI18n();
  const rowH = compact ? 14 : 20;
  return (
    <div className="vx-week-grid" style={{ fontSize: 12 }}>
      <div style={{ display: 'flex', alignItems: 'flex-end', marginBottom: 2 }}>
        <div style={{ width: 40, flex: 'none' }} />
        <HourTicks style={{ position: 'relative', flex: 1, height: 16 }} tickClassName="vx-muted" aria-hidden />
      </div>
      {WEEKDAYS.map((d) => {
        const label = t(weekdayKey(d));
        const text = dayText(days[d] ?? []);
        return (
          <div key={d} style={{ display: 'flex', alignItems: 'center', marginBottom: 3 }} role="img" aria-label={`${label} ${text || t('week.noRange')}`}>
            <div style={{ width: 40, flex: 'none' }}>{label}</div>
            <div
              style={{
                position: 'relative',
                flex: 1,
                height: rowH,
                background: '#f5f5f5',
                borderRadius: 2,
                backgroundImage: 'repeating-linear-gradient(to right, transparent 0, transparent calc(100% / 24 - 1px), #e8e8e8 calc(100% / 24 - 1px), #e8e8e8 calc(100% / 24))',
              }}
            >
              {gridBlocks(days[d] ?? []).map((b) => (
                <Tooltip key={b.label} title={b.label}>
                  <div style={{ position: 'absolute', top: 0, bottom: 0, left: `${b.left}%`, width: `${b.width}%`, background: '#1677ff', borderRadius: 2, opacity: 0.85 }} />
                </Tooltip>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

const FMT = 'HH:mm';
const S = {
  grid: { border: '1px solid #f0f0f0', borderRadius: 6, padding: '4px 8px', background: '#fff' },
  row: { display: 'flex', alignItems: 'flex-start', gap: 8, padding: '6px 0', borderBottom: '1px solid #f5f5f5' },
  day: { width: 44, flex: 'none', lineHeight: '22px', fontWeight: 500 },
  scale: { position: 'relative', flex: 1, height: 18, fontSize: 11, color: '#8c8c8c' },
  bar: { position: 'relative', height: 22, background: '#fafafa', borderRadius: 4, overflow: 'hidden' },
  seg: {
    position: 'absolute', top: 0, bottom: 0, background: '#bae0ff', borderLeft: '2px solid #1677ff', fontSize: 11,
    lineHeight: '22px', paddingLeft: 4, overflow: 'hidden', whiteSpace: 'nowrap', color: '#0958d9',
  },
} satisfies Record<string, CSSProperties>;

/** A "HH:mm"–"HH:mm" range picker whose value is a pair of strings. */
export function TimeRangeInput({
  value,
  onChange,
  disabled,
  id,
}: {
  value?: TimeRangeText | null;
  onChange?: (v: TimeRangeText | null) => void;
  disabled?: boolean;
  id?: string;
}) {
  const v = value?.[0] && value?.[1] ? ([dayjs(value[0], FMT), dayjs(value[1], FMT)] as const) : null;
  return (
    <TimePicker.RangePicker
      id={id}
      format={FMT}
      minuteStep={5}
      needConfirm={false}
      order
      disabled={disabled}
      value={v as never}
      style={{ width: 190 }}
      onChange={(r) => onChange?.(r?.[0] && r?.[1] ? [r[0].format(FMT), r[1].format(FMT)] : null)}
    />
  );
}

function DayBar({ ranges }: { ranges: TimeRangeText[] }) {
  return (
    <div style={S.bar} aria-hidden>
      {gridBlocks(ranges, ' - ').map((b, i) => (
        <div key={i} style={{ ...S.seg, left: `${b.left}%`, width: `${b.width}%` }} title={b.label}>
          {b.width > 12 ? b.label : ''}
        </div>
      ))}
    </div>
  );
}

/** Form control: value is the week's ranges; onChange gets a new week. */
export function WeekGridEditor({ value, onChange, disabled }: { value?: WeekDays; onChange?: (v: WeekDays) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const week = sortedWeek(value);
  const set = (day: Weekday, ranges: TimeRangeText[]) => onChange?.({ ...week, [day]: ranges });
  return (
    <div style={S.grid} role="table" aria-label={t('taskForm.callTime')}>
      <div style={S.row} role="row">
        <div style={S.day} role="columnheader">
          {t('week.day')}
        </div>
        <HourTicks style={S.scale} role="columnheader" aria-label={t('week.time')} />
      </div>
      {WEEKDAYS.map((d) => (
        <div style={S.row} role="row" key={d} data-testid={`week-${d}`}>
          <div style={S.day} role="rowheader">
            {t(weekdayKey(d))}
          </div>
          <div style={{ flex: 1, minWidth: 0 }} role="cell">
            <DayBar ranges={week[d]} />
            <Space wrap size={[8, 4]} style={{ marginTop: 4 }}>
              {week[d].length === 0 && <Typography.Text type="secondary">{t('week.noRange')}</Typography.Text>}
              {week[d].map((r, i) => (
                <Space.Compact key={i}>
                  <TimeRangeInput
                    value={r}
                    disabled={disabled}
                    onChange={(nr) => set(d, nr ? week[d].map((x, j) => (j === i ? nr : x)) : week[d].filter((_, j) => j !== i))}
                  />
                  <Tooltip title={t('week.removeRange')}>
                    <Button
                      icon={<DeleteOutlined aria-hidden />}
                      disabled={disabled}
                      aria-label={`${t(weekdayKey(d))} ${t('week.removeRange')} ${r[0]}-${r[1]}`}
                      onClick={() => set(d, week[d].filter((_, j) => j !== i))}
                    />
                  </Tooltip>
                </Space.Compact>
              ))}
              <Button
                size="small"
                type="dashed"
                icon={<PlusOutlined aria-hidden />}
                disabled={disabled}
                aria-label={`${t(weekdayKey(d))} ${t('week.addRange')}`}
                onClick={() => {
                  const last = week[d][week[d].length - 1];
                  const next: TimeRangeText = last && last[1] < '18:00' ? [last[1], '18:00'] : ['09:00', '12:00'];
                  set(d, [...week[d], next]);
                }}
              >
                {t('week.addRange')}
              </Button>
              <Dropdown
                disabled={disabled}
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'all', label: t('week.copyToAll') },
                    { key: 'work', label: t('week.copyToWorkdays') },
                  ],
                  onClick: ({ key }) => onChange?.(copyDay(week, d, key === 'all' ? WEEKDAYS : WORKDAYS)),
                }}
              >
                <Button size="small" type="text" icon={<CopyOutlined aria-hidden />} aria-label={`${t(weekdayKey(d))} ${t('week.copyToAll')}`} />
              </Dropdown>
            </Space>
          </div>
        </div>
      ))}
    </div>
  );
}
