export { createHold, fetchCurrentHold, releaseHold } from './api/holds-api';
export { selectionStore, useSelection, createSelectionStore, type PickedSeat, type SelectionState, type ToggleResult } from './stores/selection-store';
export { SelectionPanel, type SectionOption } from './components/selection-panel';
export { SelectionBar } from './components/selection-bar';
