import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";

/** A protobuf Timestamp as a <time> in the browser's locale. */
export function DateTime({ value }: { value: Timestamp | undefined }) {
  if (!value) return <>—</>;
  const date = timestampDate(value);
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}
