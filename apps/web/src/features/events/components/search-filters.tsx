import { useState, type FocusEvent, type FormEvent } from 'react';
import { EventCategory, type EventSort } from '@ticketing/shared';
import { Button, Input, Select } from '../../../components/ui';
import type { EventSearchParams } from '../search-params';

const SORT_LABEL: Record<EventSort, string> = {
  relevance: 'Best match',
  date: 'Date: soonest',
  '-date': 'Date: latest',
  name: 'Name A–Z',
  price: 'Price: lowest',
  '-price': 'Price: highest',
};

/**
 * True when a date input holds a whole date worth searching for: yyyy-mm-dd of a real day with a
 * four-digit year. While a year is typed the input reports 0002-…, 0020-…, 0202-… first.
 */
function isCompleteDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1000 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Filter panel. Calls `onChange` with the whole next search state (page reset to 1). Selects
 * apply at once; dates apply once they are complete, or on blur; text fields on submit.
 */
export function SearchFilters({ value, onChange }: { value: EventSearchParams; onChange: (next: EventSearchParams) => void }) {
  const [draft, setDraft] = useState(value);
  // The URL is the source of truth: follow it on back/forward (state derived during render).
  const [followed, setFollowed] = useState(value);
  if (followed !== value) {
    setFollowed(value);
    setDraft(value);
  }
  // On a phone the filters fold away behind a button so results are visible first.
  const [open, setOpen] = useState(false);

  function apply(next: EventSearchParams) {
    onChange({ ...next, page: undefined });
  }
  // A date applies when it is complete; a half-typed or emptied one waits for blur or submit.
  function changeDate(field: 'from' | 'to', text: string) {
    const next = { ...draft, [field]: text || undefined };
    setDraft(next);
    if (isCompleteDate(text)) apply(next);
  }
  function blurDate(field: 'from' | 'to', e: FocusEvent<HTMLInputElement>) {
    const text = e.target.value || undefined;
    if (text !== value[field]) apply({ ...draft, [field]: text });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    apply(draft);
  }
  const hasFilters = Boolean(value.q || value.category || value.city || value.from || value.to || value.maxPrice !== undefined);
  const activeCount = [value.category, value.city, value.from, value.to, value.maxPrice, value.sort].filter((v) => v !== undefined && v !== '').length;
  const fold = open ? '' : 'hidden md:block';

  return (
    <form
      onSubmit={submit}
      className="grid grid-cols-2 gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 md:grid-cols-3 lg:grid-cols-6"
      aria-label="Filter events"
    >
      {/* Its own row on wide screens: six filters of ~200 px each fit "Date: soonest" and a full date. */}
      <Input
        className="col-span-2 md:col-span-3 lg:col-span-6"
        label="Search"
        type="search"
        placeholder="Artist, team, venue…"
        value={draft.q ?? ''}
        onChange={(e) => setDraft({ ...draft, q: e.target.value || undefined })}
      />
      <Select
        className={fold}
        label="Category"
        value={draft.category ?? ''}
        onChange={(e) => apply({ ...draft, category: (e.target.value || undefined) as EventSearchParams['category'] })}
      >
        <option value="">All</option>
        {EventCategory.options.map((c) => (
          <option key={c} value={c}>
            {c[0]!.toUpperCase() + c.slice(1)}
          </option>
        ))}
      </Select>
      <Input className={fold} label="City" value={draft.city ?? ''} onChange={(e) => setDraft({ ...draft, city: e.target.value || undefined })} />
      <Input
        className={fold}
        label="From"
        type="date"
        value={draft.from ?? ''}
        onChange={(e) => changeDate('from', e.target.value)}
        onBlur={(e) => blurDate('from', e)}
      />
      <Input
        className={fold}
        label="To"
        type="date"
        value={draft.to ?? ''}
        min={draft.from}
        onChange={(e) => changeDate('to', e.target.value)}
        onBlur={(e) => blurDate('to', e)}
      />
      <Input
        className={fold}
        label="Max price"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        placeholder="Any"
        value={draft.maxPrice ?? ''}
        onChange={(e) => setDraft({ ...draft, maxPrice: e.target.value === '' ? undefined : Math.max(0, Math.floor(Number(e.target.value))) })}
      />
      <Select
        className={fold}
        label="Sort by"
        value={draft.sort ?? ''}
        onChange={(e) => apply({ ...draft, sort: (e.target.value || undefined) as EventSort | undefined })}
      >
        <option value="">{draft.q ? 'Best match' : 'Date: soonest'}</option>
        {(Object.keys(SORT_LABEL) as EventSort[])
          .filter((s) => s !== 'relevance' || draft.q)
          .map((s) => (
            <option key={s} value={s}>
              {SORT_LABEL[s]}
            </option>
          ))}
      </Select>
      <div className="col-span-2 flex items-end gap-2 md:col-span-3 lg:col-span-6">
        <Button type="submit">Search</Button>
        <Button variant="secondary" className="md:hidden" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide filters' : `Filters${activeCount ? ` (${activeCount})` : ''}`}
        </Button>
        {hasFilters && (
          <Button variant="ghost" onClick={() => onChange({})}>
            Clear filters
          </Button>
        )}
      </div>
    </form>
  );
}
