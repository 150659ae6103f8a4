import { OtlpDecodeError, type ReceivedSpan, spanKindNames, statusNames } from "./received-span.js";

/**
 * Decodes an OTLP/protobuf ExportTraceServiceRequest body: a small protobuf wire-format reader
 * for the fields the waterfall needs (opentelemetry-proto trace/v1 and common/v1 field numbers),
 * skipping every other field, so no generated code or .proto files are needed.
 */
export function decodeOtlpProtobuf(body: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const field of fieldsOf(body)) {
    if (field.number === 1 && field.bytes) spans.push(...resourceSpansOf(field.bytes));
  }
  return spans;
}

interface Field {
  number: number;
  /** Varint or fixed value. */
  value?: bigint;
  /** Length-delimited payload. */
  bytes?: Uint8Array;
}

function resourceSpansOf(bytes: Uint8Array): ReceivedSpan[] {
  let service = "unknown";
  const scopes: Uint8Array[] = [];
  for (const field of fieldsOf(bytes)) {
    if (field.number === 1 && field.bytes) {
      const resource = keyValuesOf(field.bytes, 1);
      service = String(resource["service.name"] ?? service);
    } else if (field.number === 2 && field.bytes) {
      scopes.push(field.bytes);
    }
  }
  const spans: ReceivedSpan[] = [];
  for (const scope of scopes) {
    for (const field of fieldsOf(scope)) {
      if (field.number === 2 && field.bytes) spans.push(spanOf(field.bytes, service));
    }
  }
  return spans;
}

function spanOf(bytes: Uint8Array, service: string): ReceivedSpan {
  const span: ReceivedSpan = {
    traceId: "",
    spanId: "",
    parentSpanId: "",
    name: "",
    kind: "unspecified",
    service,
    startMs: 0,
    endMs: 0,
    status: "unset",
    statusMessage: "",
    attributes: {},
  };
  for (const field of fieldsOf(bytes)) {
    switch (field.number) {
      case 1:
        span.traceId = hexOf(field.bytes);
        break;
      case 2:
        span.spanId = hexOf(field.bytes);
        break;
      case 4:
        span.parentSpanId = hexOf(field.bytes);
        break;
      case 5:
        span.name = textOf(field.bytes);
        break;
      case 6:
        span.kind = spanKindNames[Number(field.value ?? 0n)] ?? "unspecified";
        break;
      case 7:
        span.startMs = Number((field.value ?? 0n) / 1000n) / 1000;
        break;
      case 8:
        span.endMs = Number((field.value ?? 0n) / 1000n) / 1000;
        break;
      case 9:
        if (field.bytes) Object.assign(span.attributes, keyValuesOf(field.bytes, undefined));
        break;
      case 15:
        for (const statusField of fieldsOf(field.bytes ?? new Uint8Array())) {
          if (statusField.number === 2) span.statusMessage = textOf(statusField.bytes);
          if (statusField.number === 3) {
            span.status = statusNames[Number(statusField.value ?? 0n)] ?? "unset";
          }
        }
        break;
    }
  }
  if (span.traceId === "" || span.spanId === "") throw new OtlpDecodeError("a span without ids");
  return span;
}

/**
 * Attributes from repeated KeyValue: either the KeyValue list itself (`listField` undefined:
 * the bytes ARE one KeyValue) or a message whose field `listField` repeats KeyValue.
 */
function keyValuesOf(
  bytes: Uint8Array,
  listField: number | undefined,
): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  const pairs =
    listField === undefined
      ? [bytes]
      : fieldsOf(bytes)
          .filter((field) => field.number === listField && field.bytes)
          .map((field) => field.bytes as Uint8Array);
  for (const pair of pairs) {
    let key = "";
    let value: string | number | boolean | undefined;
    for (const field of fieldsOf(pair)) {
      if (field.number === 1) key = textOf(field.bytes);
      if (field.number === 2 && field.bytes) value = anyValueOf(field.bytes);
    }
    if (key !== "" && value !== undefined) attributes[key] = value;
  }
  return attributes;
}

function anyValueOf(bytes: Uint8Array): string | number | boolean | undefined {
  for (const field of fieldsOf(bytes)) {
    if (field.number === 1) return textOf(field.bytes);
    if (field.number === 2) return field.value === 1n;
    if (field.number === 3) return Number(BigInt.asIntN(64, field.value ?? 0n));
    if (field.number === 4) {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, field.value ?? 0n, true);
      return view.getFloat64(0, true);
    }
  }
  return undefined;
}

function fieldsOf(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (offset >= bytes.length) throw new OtlpDecodeError("truncated varint");
      const byte = bytes[offset++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      if (shift > 63n) throw new OtlpDecodeError("varint too long");
    }
  };
  const fixed = (size: number): bigint => {
    if (offset + size > bytes.length) throw new OtlpDecodeError("truncated fixed field");
    let result = 0n;
    for (let index = size - 1; index >= 0; index--) {
      result = (result << 8n) | BigInt(bytes[offset + index] as number);
    }
    offset += size;
    return result;
  };
  while (offset < bytes.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({ number, value: varint() });
    else if (wireType === 1) fields.push({ number, value: fixed(8) });
    else if (wireType === 5) fields.push({ number, value: fixed(4) });
    else if (wireType === 2) {
      const length = Number(varint());
      if (offset + length > bytes.length) throw new OtlpDecodeError("truncated bytes field");
      fields.push({ number, bytes: bytes.subarray(offset, offset + length) });
      offset += length;
    } else {
      throw new OtlpDecodeError(`unsupported protobuf wire type ${wireType}`);
    }
  }
  return fields;
}

function hexOf(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "" : Buffer.from(bytes).toString("hex");
}

function textOf(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "" : Buffer.from(bytes).toString("utf8");
}
