export const defaultPageSize = 20;
export const maxPageSize = 100;

/** Why a requested page size is unacceptable, or undefined when it is fine. */
export function pageSizeProblem(pageSize: number): string | undefined {
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > maxPageSize) {
    return `must be between 1 and ${maxPageSize} (0 means ${defaultPageSize})`;
  }
  return undefined;
}

/** The effective page size: 0 (unset in proto3) means the default. */
export function effectivePageSize(pageSize: number): number {
  return pageSize === 0 ? defaultPageSize : pageSize;
}
