import type { ReactNode } from 'react';

/** The +, − and reset-view buttons in the seat map's top-right corner. */
export function ZoomControls({ onZoomIn, onZoomOut, onReset }: { onZoomIn: () => void; onZoomOut: () => void; onReset: () => void }) {
  return (
    <div className="absolute right-2 top-2 flex flex-col gap-1" role="group" aria-label="Zoom">
      <MapButton label="Zoom in" onClick={onZoomIn}>
        +
      </MapButton>
      <MapButton label="Zoom out" onClick={onZoomOut}>
        −
      </MapButton>
      <MapButton label="Reset view" onClick={onReset}>
        <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
          <path d="M4 9V4h5M20 15v5h-5M4 4l6 6M20 20l-6-6" strokeLinecap="round" />
        </svg>
      </MapButton>
    </div>
  );
}

function MapButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="flex h-9 w-9 items-center justify-center rounded-lg bg-white text-lg font-semibold text-slate-700 shadow ring-1 ring-slate-300 hover:bg-slate-50"
    >
      {children}
    </button>
  );
}
