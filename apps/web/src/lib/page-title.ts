import { useEffect } from 'react';

/** Set the document title (announced by screen readers on navigation) for the current page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} — Seatwise` : 'Seatwise — tickets';
  }, [title]);
}
