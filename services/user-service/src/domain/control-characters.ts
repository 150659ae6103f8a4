/** True when text holds a C0, DEL or C1 control character: they break logs, terminals and CSV. */
export function hasControlCharacter(text: string): boolean {
  return /\p{Cc}/u.test(text);
}
