import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CardForm } from './card-form';

function renderForm() {
  const onSubmit = vi.fn();
  render(<CardForm submitting={false} submitLabel="Pay" onSubmit={onSubmit} />);
  const year = String(new Date().getFullYear() + 2);
  fireEvent.change(screen.getByLabelText('Name on card'), { target: { value: 'Ada Lovelace' } });
  fireEvent.change(screen.getByLabelText('Month'), { target: { value: '12' } });
  fireEvent.change(screen.getByLabelText('Year'), { target: { value: year } });
  fireEvent.change(screen.getByLabelText('CVC'), { target: { value: '123' } });
  return onSubmit;
}

describe('<CardForm> card number check', () => {
  it('when a number fails the Luhn check (4242 4242 4242 4241), then the form says so on leaving the field and does not submit', () => {
    const onSubmit = renderForm();
    const number = screen.getByLabelText('Card number');
    fireEvent.change(number, { target: { value: '4242424242424241' } });
    fireEvent.blur(number);
    expect(screen.getByText(/not a valid card number/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Pay' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(number.getAttribute('aria-invalid')).toBe('true');
  });

  it('when the number is a valid card, then no error shows and the normalised digits are submitted', () => {
    const onSubmit = renderForm();
    const number = screen.getByLabelText('Card number');
    fireEvent.change(number, { target: { value: '4242424242424242' } });
    fireEvent.blur(number);
    expect(screen.queryByText(/not a valid card number/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Pay' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ cardNumber: '4242424242424242', name: 'Ada Lovelace', cvc: '123' }));
  });

  it('when the name holds a control character, then the shared text rule refuses it before submit', () => {
    const onSubmit = renderForm();
    fireEvent.change(screen.getByLabelText('Name on card'), { target: { value: 'Ada\u0000' } });
    fireEvent.change(screen.getByLabelText('Card number'), { target: { value: '4242424242424242' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pay' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText(/must not contain control characters/)).toBeTruthy();
  });
});
