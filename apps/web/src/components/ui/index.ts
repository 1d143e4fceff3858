export { Button, type ButtonProps } from './button';
export { Input, Select } from './input';
export { Card } from './card';
export { Spinner, PageSpinner } from './spinner';
export { EmptyState, ErrorState } from './states';
export { Dialog } from './dialog';
export { Toasts, toast, useToasts } from './toasts';
export { Countdown, useCountdown } from './countdown';
export { cx } from './cx';
