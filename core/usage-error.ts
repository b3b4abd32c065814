// Bad input from the user (flags, option or target files): reported with the field and value, exit code 2.
export class UsageError extends Error {
  override name = 'UsageError';
}
