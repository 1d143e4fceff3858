import { VenueInput, type Venue } from '@ticketing/shared';
import { useMemo, useState } from 'react';
import { Button, Card, Input } from '../../../components/ui';
import { blockRows, emptyDraft, fromVenue, newKey, newSection, previewSeats, rowLabel, tierColour, toVenueInput, type DraftSection, type DraftVenue } from '../lib/venue-layout';
import { VenuePreview } from './venue-preview';
import { useSchemaSubmit } from '../hooks/use-schema-submit';

export interface VenueEditorProps {
  venue: Venue | null;
  onSubmit: (body: VenueInput) => Promise<void>;
  onCancel: () => void;
}

/** Venue form with a section layout editor and a live preview of the seat map. */
export function VenueEditor({ venue, onSubmit, onCancel }: VenueEditorProps) {
  const [draft, setDraft] = useState<DraftVenue>(() => (venue ? fromVenue(venue) : emptyDraft()));
  const { errors, formError, busy, submit } = useSchemaSubmit(VenueInput, () => toVenueInput(draft), onSubmit);
  const seats = useMemo(() => previewSeats(draft), [draft]);
  const tiers = useMemo(() => [...new Set(draft.sections.map((s) => s.priceTier))].sort((a, b) => a - b), [draft.sections]);

  const setField = (k: Exclude<keyof DraftVenue, 'sections'>) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  /** Update one section; `reshape` drops positions loaded from the server so they are regenerated. */
  const updateSection = (key: string, patch: Partial<DraftSection>, reshape = false) =>
    setDraft((d) => ({ ...d, sections: d.sections.map((s) => (s.key === key ? { ...s, ...patch, ...(reshape ? { kept: null } : {}) } : s)) }));

  return (
    <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <div className="flex min-w-0 flex-col gap-6">
        {formError && (
          <div role="alert" className="rounded-lg bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
            {formError}
          </div>
        )}
        <Card className="grid gap-4 p-4 sm:grid-cols-2 sm:p-6">
          <Input label="Name" name="name" value={draft.name} onChange={setField('name')} error={errors.name} className="sm:col-span-2" />
          <Input label="City" name="city" value={draft.city} onChange={setField('city')} error={errors.city} />
          <Input label="Country" name="country" value={draft.country} onChange={setField('country')} error={errors.country} hint="Optional, e.g. DE" />
          <Input label="Address" name="address" value={draft.address} onChange={setField('address')} error={errors.address} hint="Optional" />
          <Input label="Time zone" name="timezone" value={draft.timezone} onChange={setField('timezone')} error={errors.timezone} hint="IANA name, e.g. Europe/Berlin" />
        </Card>

        <section aria-labelledby="sections-heading" className="flex flex-col gap-4">
          <div className="flex items-center justify-between gap-2">
            <h2 id="sections-heading" className="text-lg font-semibold">
              Sections
            </h2>
            <Button variant="secondary" size="sm" onClick={() => setDraft((d) => ({ ...d, sections: [...d.sections, newSection(d.sections, Math.min(20, d.sections.length + 1))] }))}>
              Add section
            </Button>
          </div>
          {errors.sections && <p className="text-sm text-red-600">{errors.sections}</p>}
          {draft.sections.map((s, si) => (
            <SectionEditor
              key={s.key}
              section={s}
              index={si}
              errors={errors}
              canRemove={draft.sections.length > 1}
              onChange={(patch, reshape) => updateSection(s.key, patch, reshape)}
              onRemove={() => setDraft((d) => ({ ...d, sections: d.sections.filter((x) => x.key !== s.key) }))}
            />
          ))}
        </section>
      </div>

      {/* On phones the preview comes first and the buttons last; on wide screens both stay in view beside the form. */}
      <div className="order-first flex flex-col gap-4 lg:sticky lg:top-20 lg:order-none lg:self-start">
        <Card className="p-4">
          <h2 className="mb-3 text-base font-semibold">Preview</h2>
          <VenuePreview seats={seats} tiers={tiers} />
        </Card>
        <FormButtons className="hidden lg:flex" busy={busy} label={venue ? 'Save venue' : 'Create venue'} onCancel={onCancel} />
      </div>
      <FormButtons className="flex lg:hidden" busy={busy} label={venue ? 'Save venue' : 'Create venue'} onCancel={onCancel} />
    </form>
  );
}

function FormButtons({ className, busy, label, onCancel }: { className: string; busy: boolean; label: string; onCancel: () => void }) {
  return (
    <div className={`${className} flex-wrap justify-end gap-2`}>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={busy}>
        {label}
      </Button>
    </div>
  );
}

interface SectionEditorProps {
  section: DraftSection;
  index: number;
  errors: Record<string, string>;
  canRemove: boolean;
  onChange: (patch: Partial<DraftSection>, reshape?: boolean) => void;
  onRemove: () => void;
}

function SectionEditor({ section: s, index: si, errors, canRemove, onChange, onRemove }: SectionEditorProps) {
  const [genRows, setGenRows] = useState('5');
  const [genSeats, setGenSeats] = useState('10');
  const p = `sections.${si}`;
  const rowError = (ri: number) => errors[`${p}.rows.${ri}.label`] ?? errors[`${p}.rows.${ri}.seats`];
  const intOr = (v: string, fallback: number) => (Number.isFinite(Number(v)) && v.trim() !== '' ? Math.floor(Number(v)) : fallback);

  function generate() {
    const rows = Math.min(500, Math.max(1, intOr(genRows, 1)));
    const seats = Math.min(500, Math.max(1, intOr(genSeats, 1)));
    onChange({ rows: blockRows(rows, seats) }, true);
  }

  return (
    <Card className="p-4 sm:p-5" data-testid="section-editor">
      <fieldset>
        <legend className="flex w-full items-center gap-2 text-base font-semibold">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full" style={{ background: tierColour(s.priceTier) }} />
          {s.name || `Section ${si + 1}`}
        </legend>
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Input label="Section name" value={s.name} onChange={(e) => onChange({ name: e.target.value })} error={errors[`${p}.name`]} className="col-span-2" />
          <Input label="Price tier" type="number" min={1} max={20} inputMode="numeric" value={String(s.priceTier)} onChange={(e) => onChange({ priceTier: intOr(e.target.value, 1) })} error={errors[`${p}.priceTier`]} />
          <Input label="Price" inputMode="decimal" value={s.price} onChange={(e) => onChange({ price: e.target.value })} error={errors[`${p}.priceCents`] ? 'Enter a price like 45 or 45.50' : undefined} />
          <Input label="Left (x)" type="number" min={0} value={String(s.x)} onChange={(e) => onChange({ x: Math.max(0, intOr(e.target.value, 0)) }, true)} />
          <Input label="Top (y)" type="number" min={0} value={String(s.y)} onChange={(e) => onChange({ y: Math.max(0, intOr(e.target.value, 0)) }, true)} />
          <label className="col-span-2 flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-700">
            <input type="checkbox" checked={s.curved} onChange={(e) => onChange({ curved: e.target.checked }, true)} className="h-4 w-4 rounded border-slate-300 text-brand-600" />
            Curved rows (facing a stage above)
          </label>
        </div>
        {s.kept && <p className="mt-2 text-xs text-slate-500">Seat positions are kept as saved until you reshape this section.</p>}

        <div className="mt-4 rounded-lg bg-slate-50 p-3">
          <p className="text-sm font-medium text-slate-700">Block generator</p>
          <div className="mt-2 flex flex-wrap items-end gap-2">
            <Input label="Rows" type="number" min={1} max={500} inputMode="numeric" value={genRows} onChange={(e) => setGenRows(e.target.value)} className="w-24" />
            <span aria-hidden="true" className="pb-2 text-slate-500">×</span>
            <Input label="Seats per row" type="number" min={1} max={500} inputMode="numeric" value={genSeats} onChange={(e) => setGenSeats(e.target.value)} className="w-32" />
            <Button variant="secondary" onClick={generate}>
              Generate rows
            </Button>
          </div>
        </div>

        <div className="mt-4">
          <p className="text-sm font-medium text-slate-700" id={`${s.key}-rows`}>
            Rows ({s.rows.length})
          </p>
          {errors[`${p}.rows`] && <p className="text-sm text-red-600">{errors[`${p}.rows`]}</p>}
          <ul aria-labelledby={`${s.key}-rows`} className="mt-2 flex max-h-72 flex-col gap-2 overflow-y-auto pr-1">
            {s.rows.map((r, ri) => (
              <li key={r.key} className="flex items-start gap-2">
                <Input
                  label={`Row ${ri + 1} label`}
                  hideLabel
                  value={r.label}
                  placeholder="Label"
                  onChange={(e) => onChange({ rows: s.rows.map((x) => (x.key === r.key ? { ...x, label: e.target.value } : x)) })}
                  aria-invalid={errors[`${p}.rows.${ri}.label`] ? true : undefined}
                  className="w-20"
                />
                <Input
                  label={`Row ${ri + 1} seats`}
                  hideLabel
                  type="number"
                  min={1}
                  max={500}
                  inputMode="numeric"
                  value={String(r.seats)}
                  onChange={(e) => onChange({ rows: s.rows.map((x) => (x.key === r.key ? { ...x, seats: Math.max(0, intOr(e.target.value, 0)) } : x)) }, true)}
                  aria-invalid={errors[`${p}.rows.${ri}.seats`] ? true : undefined}
                  className="w-24"
                />
                <span className="pt-2 text-sm text-slate-500">seats</span>
                <Button variant="ghost" size="sm" className="mt-1 ml-auto" onClick={() => onChange({ rows: s.rows.filter((x) => x.key !== r.key) }, true)} disabled={s.rows.length <= 1} aria-label={`Remove row ${r.label || ri + 1}`}>
                  Remove
                </Button>
                {rowError(ri) && <span className="sr-only">{rowError(ri)}</span>}
              </li>
            ))}
          </ul>
          {s.rows.some((_, ri) => rowError(ri)) && <p className="mt-1 text-sm text-red-600">Each row needs a unique label and 1–500 seats.</p>}
          <div className="mt-3 flex flex-wrap justify-between gap-2">
            <Button
              variant="secondary"
              size="sm"
              onClick={() => onChange({ rows: [...s.rows, { key: newKey('row'), label: rowLabel(s.rows.length), seats: s.rows.at(-1)?.seats ?? 10 }] }, true)}
            >
              Add row
            </Button>
            <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" onClick={onRemove} disabled={!canRemove}>
              Remove section
            </Button>
          </div>
        </div>
      </fieldset>
    </Card>
  );
}
