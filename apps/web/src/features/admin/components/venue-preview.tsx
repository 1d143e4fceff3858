import { useEffect, useMemo, useRef } from 'react';
import { tierColour, type PreviewSeat } from '../lib/venue-layout';

/** A canvas drawing of the seats, coloured by price tier; scales to its container width. */
export function VenuePreview({ seats, tiers }: { seats: PreviewSeat[]; tiers: number[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const bounds = useMemo(() => {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const s of seats) {
      minX = Math.min(minX, s.x);
      minY = Math.min(minY, s.y);
      maxX = Math.max(maxX, s.x);
      maxY = Math.max(maxY, s.y);
    }
    return seats.length ? { minX, minY, w: Math.max(1, maxX - minX), h: Math.max(1, maxY - minY) } : null;
  }, [seats]);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const draw = () => {
      const cssW = canvas.clientWidth || 300;
      const aspect = bounds ? Math.min(1.2, Math.max(0.35, (bounds.h + 40) / (bounds.w + 40))) : 0.5;
      const cssH = Math.round(cssW * aspect);
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
      canvas.style.height = `${cssH}px`;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = '#f8fafc';
      ctx.fillRect(0, 0, cssW, cssH);
      if (!bounds) return;
      const pad = 12;
      const scale = Math.min((cssW - pad * 2) / bounds.w, (cssH - pad * 2) / bounds.h, 4);
      const ox = (cssW - bounds.w * scale) / 2;
      const oy = (cssH - bounds.h * scale) / 2;
      const r = Math.max(0.8, Math.min(4, scale * 7));
      let colour = '';
      for (const s of seats) {
        const c = tierColour(s.tier);
        if (c !== colour) {
          ctx.fillStyle = c;
          colour = c;
        }
        const x = ox + (s.x - bounds.minX) * scale;
        const y = oy + (s.y - bounds.minY) * scale;
        if (r < 1.5) ctx.fillRect(x - r, y - r, r * 2, r * 2);
        else {
          ctx.beginPath();
          ctx.arc(x, y, r, 0, Math.PI * 2);
          ctx.fill();
        }
      }
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [seats, bounds]);

  return (
    <figure>
      <canvas ref={ref} className="block w-full rounded-lg ring-1 ring-slate-200" role="img" aria-label={`Preview of ${seats.length.toLocaleString()} seats in ${tiers.length} price tier${tiers.length === 1 ? '' : 's'}`} data-testid="venue-preview" />
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
        <span className="font-medium text-slate-800">{seats.length.toLocaleString()} seats</span>
        {tiers.map((t) => (
          <span key={t} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full" style={{ background: tierColour(t) }} />
            Tier {t}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
