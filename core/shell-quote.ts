// One word for a POSIX shell, single-quoted (pure).
export function shq(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
