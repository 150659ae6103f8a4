const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Returns `name` double-quoted for SQL, after checking it is a plain lower-case identifier.
 * DDL cannot take bind parameters, so this check is what keeps role and database names from
 * ever carrying SQL.
 */
export function quoteIdentifier(name: string, what: string): string {
  if (!identifierPattern.test(name)) {
    throw new Error(
      `invalid ${what} name ${JSON.stringify(name)}: use 1-63 characters a-z, 0-9 or _, not starting with a digit`,
    );
  }
  return `"${name}"`;
}
