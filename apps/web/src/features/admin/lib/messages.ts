/** Turn zod's default messages into short sentences for the admin forms (the schema stays the shared one). */
export function friendlyMessage(message: string): string {
  let m: RegExpMatchArray | null;
  if (/expected string to have >=1 characters/.test(message)) return 'Required.';
  if (/Invalid ISO datetime/i.test(message)) return 'Enter a date and time.';
  if ((m = message.match(/expected string to have <=(\d+)/))) return `At most ${m[1]} characters.`;
  if ((m = message.match(/expected number to be >=(\d+)/))) return `At least ${m[1]}.`;
  if ((m = message.match(/expected number to be <=(\d+)/))) return `At most ${Number(m[1]).toLocaleString()}.`;
  if (/expected int/.test(message)) return 'Enter a whole number.';
  if (/expected number/.test(message)) return 'Enter a number.';
  return message;
}

/** Apply `friendlyMessage` to every field error. */
export function friendlyErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, friendlyMessage(v)]));
}
