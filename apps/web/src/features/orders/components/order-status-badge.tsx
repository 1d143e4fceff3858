import type { OrderStatus } from '@ticketing/shared';
import { cx } from '../../../components/ui';

const STYLE: Record<OrderStatus, string> = {
  completed: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  cancelled: 'bg-slate-100 text-slate-700 ring-slate-300',
  refund_pending: 'bg-amber-50 text-amber-900 ring-amber-200',
  refunded: 'bg-sky-50 text-sky-800 ring-sky-200',
};
const LABEL: Record<OrderStatus, string> = { completed: 'Confirmed', cancelled: 'Cancelled', refund_pending: 'Refund on its way', refunded: 'Refunded' };

/** Order status pill. */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={cx('inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', STYLE[status])}>{LABEL[status]}</span>;
}
