import { EventCategory, EventInput, type Event, type VenueSummary } from '@ticketing/shared';
import { useState } from 'react';
import { Button, Card, Input, Select } from '../../../components/ui';
import { isoToZonedInput, zonedInputToIso } from '../lib/datetime-local';
import { knownTimeZone, viewerTimeZone } from '../../../lib/time-zone';
import { useSchemaSubmit } from '../hooks/use-schema-submit';

/** Form values (strings, as inputs hold them). */
interface Values {
  name: string;
  category: string;
  venueId: string;
  performer: string;
  description: string;
  startsAt: string;
  onSaleAt: string;
  highDemand: boolean;
  currency: string;
  maxTicketsPerUser: string;
  admissionRatePerMinute: string;
  maxConcurrentShoppers: string;
}

function initialValues(event: Event | null, queue: { admissionRatePerMinute?: number; maxConcurrentShoppers?: number } | null): Values {
  return {
    name: event?.name ?? '',
    category: event?.category ?? 'concert',
    venueId: event?.venue.id ?? '',
    performer: event?.performer ?? '',
    description: event?.description ?? '',
    startsAt: event ? isoToZonedInput(event.startsAt, event.venue.timezone) : '',
    onSaleAt: event ? isoToZonedInput(event.onSaleAt, event.venue.timezone) : '',
    highDemand: event?.highDemand ?? false,
    currency: event?.currency ?? 'EUR',
    maxTicketsPerUser: String(event?.maxTicketsPerUser ?? 8),
    admissionRatePerMinute: queue?.admissionRatePerMinute ? String(queue.admissionRatePerMinute) : '',
    maxConcurrentShoppers: queue?.maxConcurrentShoppers ? String(queue.maxConcurrentShoppers) : '',
  };
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

/** Build the EventInput candidate from the form (validated by the shared schema); times are on `timeZone`'s clock. */
function toBody(v: Values, timeZone: string | undefined): unknown {
  return {
    name: v.name,
    category: v.category,
    venueId: v.venueId,
    performer: opt(v.performer),
    description: opt(v.description),
    startsAt: zonedInputToIso(v.startsAt, timeZone),
    onSaleAt: zonedInputToIso(v.onSaleAt, timeZone),
    highDemand: v.highDemand,
    currency: opt(v.currency.toUpperCase()),
    maxTicketsPerUser: num(v.maxTicketsPerUser),
    admissionRatePerMinute: num(v.admissionRatePerMinute),
    maxConcurrentShoppers: num(v.maxConcurrentShoppers),
  };
}

export interface EventFormProps {
  event: Event | null;
  venues: VenueSummary[];
  queue: { admissionRatePerMinute?: number; maxConcurrentShoppers?: number } | null;
  onSubmit: (body: EventInput) => Promise<void>;
  onCancel: () => void;
}

/** Create/edit an event; validated with the shared EventInput schema before it is sent. */
export function EventForm({ event, venues, queue, onSubmit, onCancel }: EventFormProps) {
  const [v, setV] = useState<Values>(() => initialValues(event, queue));
  // The dates are typed on the venue's clock; its zone is the event's venue (fixed once created) or the chosen one.
  const venueZone = event ? event.venue.timezone : venues.find((x) => x.id === v.venueId)?.timezone;
  const timeZone = knownTimeZone(venueZone);
  const { errors, formError, busy, submit } = useSchemaSubmit(EventInput, () => toBody(v, timeZone), onSubmit);
  const zoneNote = timeZone
    ? `Venue time: ${timeZone}`
    : venueZone
      ? `Your time zone (${viewerTimeZone()}): the venue's “${venueZone}” is not a known zone`
      : `Your time zone (${viewerTimeZone()}) until a venue is chosen`;
  const set = <K extends keyof Values>(k: K) => (value: Values[K]) => setV((old) => ({ ...old, [k]: value }));
  const field = (k: Exclude<keyof Values, 'highDemand'>) => ({
    name: k,
    value: v[k],
    error: errors[k],
    onChange: (e: { target: { value: string } }) => set(k)(e.target.value),
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-6">
      {formError && (
        <div role="alert" className="rounded-lg bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
          {formError}
        </div>
      )}
      <Card className="grid gap-4 p-4 sm:grid-cols-2 sm:p-6">
        <Input label="Name" {...field('name')} required className="sm:col-span-2" />
        <Select label="Category" name="category" value={v.category} onChange={(e) => set('category')(e.target.value)}>
          {EventCategory.options.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <div>
          <Select label="Venue" name="venueId" disabled={!!event} value={v.venueId} onChange={(e) => set('venueId')(e.target.value)} aria-invalid={errors.venueId ? true : undefined}>
            <option value="">Choose a venue…</option>
            {venues.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}, {x.city} ({x.totalSeats.toLocaleString()} seats)
              </option>
            ))}
          </Select>
          {errors.venueId && <p className="mt-1 text-sm text-red-600">{errors.venueId === 'must be a UUID' ? 'Choose a venue.' : errors.venueId}</p>}
        </div>
        <Input label="Performer" {...field('performer')} hint="Optional" />
        <Input label="Currency" {...field('currency')} maxLength={3} hint="ISO 4217, e.g. EUR" />
        <div className="sm:col-span-2">
          <label htmlFor="event-description" className="mb-1 block text-sm font-medium text-slate-700">
            Description
          </label>
          <textarea
            id="event-description"
            name="description"
            rows={3}
            value={v.description}
            onChange={(e) => set('description')(e.target.value)}
            className="block w-full rounded-lg border-0 px-3 py-2 text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600"
          />
          {errors.description && <p className="mt-1 text-sm text-red-600">{errors.description}</p>}
        </div>
      </Card>
      <Card className="grid gap-4 p-4 sm:grid-cols-2 sm:p-6">
        <h2 className="text-base font-semibold sm:col-span-2">Dates and sale</h2>
        <Input label="Starts at" type="datetime-local" {...field('startsAt')} hint={zoneNote} />
        <Input label="On sale from" type="datetime-local" {...field('onSaleAt')} hint={`${zoneNote}. Not after the start.`} />
        <Input label="Max tickets per user" type="number" min={1} max={50} inputMode="numeric" {...field('maxTicketsPerUser')} />
      </Card>
      <Card className="grid gap-4 p-4 sm:grid-cols-2 sm:p-6">
        <div className="sm:col-span-2">
          <label className="flex items-start gap-3">
            <input type="checkbox" name="highDemand" checked={v.highDemand} onChange={(e) => set('highDemand')(e.target.checked)} className="mt-1 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600" />
            <span>
              <span className="block font-medium text-slate-900">High demand: use the waiting room</span>
              <span className="block text-sm text-slate-600">Fans queue before they may pick seats; early arrivals are shuffled fairly at on-sale.</span>
            </span>
          </label>
        </div>
        <Input label="Admission rate (shoppers per minute)" type="number" min={1} inputMode="numeric" {...field('admissionRatePerMinute')} hint="Empty: the default" disabled={!v.highDemand} />
        <Input label="Max concurrent shoppers" type="number" min={1} inputMode="numeric" {...field('maxConcurrentShoppers')} hint="Empty: the default" disabled={!v.highDemand} />
      </Card>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          {event ? 'Save changes' : 'Create event'}
        </Button>
      </div>
    </form>
  );
}
