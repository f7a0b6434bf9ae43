/**
 * An address as a page may show it to whoever holds the link: enough for the
 * recipient to recognise it ("a•••@viasna.example.by"), not the whole of it,
 * since a forwarded letter's link may be opened by someone else.
 */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${[...email.slice(0, at)][0]}•••${email.slice(at)}`;
}
