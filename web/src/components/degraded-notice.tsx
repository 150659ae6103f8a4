/** A section the BFF could not fill: said plainly, inside the section, not as an error page. */
export function DegradedNotice({ reason }: { reason: string }) {
  return (
    <p className="degraded" role="status">
      <span aria-hidden="true">⚠ </span>
      Not available right now: {reason}.
    </p>
  );
}
