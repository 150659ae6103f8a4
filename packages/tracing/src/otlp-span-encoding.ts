import type { Attributes, AttributeValue, HrTime, Link } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";

// OTLP/protobuf encoding of finished spans (an ExportTraceServiceRequest), byte for byte what
// @opentelemetry/otlp-transformer's ProtobufTraceSerializer writes (tested against it), at a
// fraction of its cost in a busy process: that one measures and writes every string character
// by character in JavaScript (and shifts each span once its length needs a second byte); here
// the UTF-8 bytes of each string are kept (span names, attribute keys and most values recur in
// every span), sizes are exact before writing, and ids are written as hex by Buffer.
//
// Field numbers from opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.

/** The UTF-8 bytes of the strings written; bounded, emptied when full (ids never pass here). */
class TextBytes {
  private readonly known = new Map<string, Buffer>();

  constructor(
    private readonly maxEntries = 4_096,
    private readonly maxLength = 1_024,
  ) {}

  of(text: string): Buffer {
    const cached = this.known.get(text);
    if (cached !== undefined) return cached;
    const bytes = Buffer.from(text, "utf8");
    if (text.length <= this.maxLength) {
      if (this.known.size >= this.maxEntries) this.known.clear();
      this.known.set(text, bytes);
    }
    return bytes;
  }
}

const text = new TextBytes();

// The flags field of Span and Link: the W3C trace flags plus "is_remote is known" and its value.
const hasIsRemote = 0x100;
const isRemoteFlag = 0x200;
const spanFlags = (traceFlags: number, isRemote: boolean | undefined) =>
  (traceFlags & 0xff) | hasIsRemote | (isRemote ? isRemoteFlag : 0);

const twoTo32 = 0x1_0000_0000;
const int64Min = -(2 ** 63);
const int64Max = 2 ** 63;

/** Bytes of `value` as a base-128 varint (uint64; negative int64 takes ten). */
function varintSize(value: number): number {
  if (value < 0) return 10;
  let size = 1;
  let rest = value;
  while (rest >= 128) {
    rest = Math.floor(rest / 128);
    size += 1;
  }
  return size;
}

/** Size of a length-delimited field with a one-byte tag around `length` bytes. */
const delimited = (length: number) => 1 + varintSize(length) + length;

/** An attribute value as an AnyValue; 0 bytes for a type OTLP has no field for (as the SDK). */
function anyValueSize(value: unknown): number {
  switch (typeof value) {
    case "string":
      return delimited(text.of(value).length);
    case "boolean":
      return 2;
    case "number":
      return isInt64(value) ? 1 + varintSize(value) : 9;
    default:
      break;
  }
  if (value instanceof Uint8Array) return delimited(value.length);
  if (Array.isArray(value)) {
    let inner = 0;
    for (const item of value) inner += delimited(anyValueSize(item));
    return delimited(inner);
  }
  if (typeof value === "object" && value !== null) {
    return delimited(attributesSize(value as Attributes));
  }
  return 0;
}

const isInt64 = (value: number) => Number.isInteger(value) && value >= int64Min && value < int64Max;

function keyValueSize(key: string, value: unknown): number {
  return delimited(text.of(key).length) + delimited(anyValueSize(value));
}

/** Repeated KeyValue (one-byte field tag), as the fields of a message. */
function attributesSize(attributes: Attributes): number {
  let size = 0;
  for (const key in attributes) {
    if (Object.hasOwn(attributes, key)) size += delimited(keyValueSize(key, attributes[key]));
  }
  return size;
}

function eventSize(event: TimedEvent): number {
  return (
    9 +
    delimited(text.of(event.name).length) +
    (event.attributes === undefined ? 0 : attributesSize(event.attributes)) +
    1 +
    varintSize(event.droppedAttributesCount ?? 0)
  );
}

function linkSize(link: Link & { droppedAttributesCount?: number }): number {
  const traceState = link.context.traceState?.serialize();
  return (
    18 +
    10 +
    (traceState ? delimited(text.of(traceState).length) : 0) +
    (link.attributes === undefined ? 0 : attributesSize(link.attributes)) +
    1 +
    varintSize(link.droppedAttributesCount ?? 0) +
    5
  );
}

function statusSize(span: ReadableSpan): number {
  const { message, code } = span.status;
  return (message ? delimited(text.of(message).length) : 0) + 1 + varintSize(code);
}

function spanSize(span: ReadableSpan): number {
  const context = span.spanContext();
  const traceState = context.traceState?.serialize();
  let size = 18 + 10; // trace_id, span_id
  if (traceState) size += delimited(text.of(traceState).length);
  if (span.parentSpanContext?.spanId) size += 10;
  size += delimited(text.of(span.name).length);
  if (span.kind != null) size += 2;
  size += 18; // start and end time
  size += attributesSize(span.attributes);
  size += 1 + varintSize(span.droppedAttributesCount);
  for (const event of span.events) size += delimited(eventSize(event));
  size += 1 + varintSize(span.droppedEventsCount);
  for (const link of span.links) size += delimited(linkSize(link));
  size += 1 + varintSize(span.droppedLinksCount);
  size += delimited(statusSize(span));
  size += 2 + 4; // flags: field 16 takes a two-byte tag
  return size;
}

type Scope = ReadableSpan["instrumentationScope"];
type Resource = ReadableSpan["resource"];

function scopeSize(scope: Scope): number {
  const withAttributes = scope as Scope & {
    attributes?: Attributes;
    droppedAttributesCount?: number;
  };
  return (
    delimited(text.of(scope.name).length) +
    (scope.version ? delimited(text.of(scope.version).length) : 0) +
    (withAttributes.attributes ? attributesSize(withAttributes.attributes) : 0) +
    (withAttributes.droppedAttributesCount
      ? 1 + varintSize(withAttributes.droppedAttributesCount)
      : 0)
  );
}

const resourceSize = (resource: Resource) =>
  (resource.attributes ? attributesSize(resource.attributes) : 0) + 2;

/** Writes into a buffer whose exact size is known in advance. */
class Writer {
  readonly buffer: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  byte(value: number): void {
    this.buffer[this.pos++] = value;
  }

  /** A field tag: (field number << 3) | wire type. */
  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  varint(value: number): void {
    if (value >= 0 && value < twoTo32) {
      let rest = value >>> 0;
      while (rest > 0x7f) {
        this.buffer[this.pos++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buffer[this.pos++] = rest;
      return;
    }
    // Larger or negative: the int64's two's complement, as uint64.
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest > 0x7fn) {
      this.buffer[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.pos++] = Number(rest);
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.varint(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, text.of(value));
  }

  /** A trace or span id (hex) as bytes; `length` is its size in bytes (16 or 8). */
  id(field: number, hex: string, length: number): void {
    this.tag(field, 2);
    this.byte(length);
    this.pos += this.buffer.write(hex, this.pos, length, "hex");
  }

  /** HrTime as fixed64 nanoseconds since the epoch. */
  time(field: number, time: HrTime): void {
    this.tag(field, 1);
    this.buffer.writeBigUInt64LE(
      BigInt.asUintN(64, BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])),
      this.pos,
    );
    this.pos += 8;
  }

  fixed32(field: number, value: number): void {
    this.tag(field, 5);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** Starts a length-delimited field whose content is `length` bytes. */
  open(field: number, length: number): void {
    this.tag(field, 2);
    this.varint(length);
  }
}

function writeAnyValue(out: Writer, value: unknown): void {
  switch (typeof value) {
    case "string":
      out.string(1, value);
      return;
    case "boolean":
      out.tag(2, 0);
      out.byte(value ? 1 : 0);
      return;
    case "number":
      if (isInt64(value)) {
        out.tag(3, 0);
        out.varint(value);
      } else {
        out.tag(4, 1);
        out.buffer.writeDoubleLE(value, out.pos);
        out.pos += 8;
      }
      return;
    default:
      break;
  }
  if (value instanceof Uint8Array) {
    out.bytes(7, value);
  } else if (Array.isArray(value)) {
    let inner = 0;
    for (const item of value) inner += delimited(anyValueSize(item));
    out.open(5, inner);
    for (const item of value) {
      out.open(1, anyValueSize(item));
      writeAnyValue(out, item);
    }
  } else if (typeof value === "object" && value !== null) {
    out.open(6, attributesSize(value as Attributes));
    writeAttributes(out, value as Attributes, 1);
  }
}

function writeAttributes(out: Writer, attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value: AttributeValue | undefined = attributes[key];
    out.open(field, keyValueSize(key, value));
    out.string(1, key);
    out.open(2, anyValueSize(value));
    writeAnyValue(out, value);
  }
}

function writeEvent(out: Writer, event: TimedEvent): void {
  out.open(11, eventSize(event));
  out.time(1, event.time);
  out.string(2, event.name);
  if (event.attributes !== undefined) writeAttributes(out, event.attributes, 3);
  out.tag(4, 0);
  out.varint(event.droppedAttributesCount ?? 0);
}

function writeLink(out: Writer, link: Link & { droppedAttributesCount?: number }): void {
  const { context } = link;
  out.open(13, linkSize(link));
  out.id(1, context.traceId, 16);
  out.id(2, context.spanId, 8);
  const traceState = context.traceState?.serialize();
  if (traceState) out.string(3, traceState);
  if (link.attributes !== undefined) writeAttributes(out, link.attributes, 4);
  out.tag(5, 0);
  out.varint(link.droppedAttributesCount ?? 0);
  out.fixed32(6, spanFlags(context.traceFlags, context.isRemote));
}

function writeSpan(out: Writer, span: ReadableSpan, size: number): void {
  const context = span.spanContext();
  out.open(2, size);
  out.id(1, context.traceId, 16);
  out.id(2, context.spanId, 8);
  const traceState = context.traceState?.serialize();
  if (traceState) out.string(3, traceState);
  const parentSpanId = span.parentSpanContext?.spanId;
  if (parentSpanId) out.id(4, parentSpanId, 8);
  out.string(5, span.name);
  if (span.kind != null) {
    // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
    out.tag(6, 0);
    out.varint(span.kind + 1);
  }
  out.time(7, span.startTime);
  out.time(8, span.endTime);
  writeAttributes(out, span.attributes, 9);
  out.tag(10, 0);
  out.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(out, event);
  out.tag(12, 0);
  out.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(out, link);
  out.tag(14, 0);
  out.varint(span.droppedLinksCount);
  out.open(15, statusSize(span));
  if (span.status.message) out.string(2, span.status.message);
  out.tag(3, 0);
  out.varint(span.status.code);
  out.fixed32(16, spanFlags(context.traceFlags, span.parentSpanContext?.isRemote));
}

function writeScope(out: Writer, scope: Scope): void {
  const withAttributes = scope as Scope & {
    attributes?: Attributes;
    droppedAttributesCount?: number;
  };
  out.open(1, scopeSize(scope));
  out.string(1, scope.name);
  if (scope.version) out.string(2, scope.version);
  if (withAttributes.attributes) writeAttributes(out, withAttributes.attributes, 3);
  if (withAttributes.droppedAttributesCount) {
    out.tag(4, 0);
    out.varint(withAttributes.droppedAttributesCount);
  }
}

/** Spans grouped by resource, then by instrumentation scope, in the order first seen. */
function groupSpans(spans: readonly ReadableSpan[]): Map<Resource, Map<Scope, ReadableSpan[]>> {
  const byResource = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (byScope === undefined) {
      byScope = new Map();
      byResource.set(span.resource, byScope);
    }
    const group = byScope.get(span.instrumentationScope);
    if (group === undefined) byScope.set(span.instrumentationScope, [span]);
    else group.push(span);
  }
  return byResource;
}

/** The ExportTraceServiceRequest carrying `spans`, as OTLP/HTTP protobuf sends it. */
export function encodeTraceExportRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const grouped = groupSpans(spans);
  // Sizes first (each span's once), so every length is written before its content.
  const spanSizes = new Map<ReadableSpan, number>();
  const scopeSpansSizes = new Map<ReadableSpan[], number>();
  const resourceSpansSizes = new Map<Resource, number>();
  let total = 0;
  for (const [resource, byScope] of grouped) {
    let resourceSpans = delimited(resourceSize(resource));
    for (const [scope, group] of byScope) {
      let scopeSpans = delimited(scopeSize(scope));
      for (const span of group) {
        const size = spanSize(span);
        spanSizes.set(span, size);
        scopeSpans += delimited(size);
      }
      if (scope.schemaUrl) scopeSpans += delimited(text.of(scope.schemaUrl).length);
      scopeSpansSizes.set(group, scopeSpans);
      resourceSpans += delimited(scopeSpans);
    }
    if (resource.schemaUrl) resourceSpans += delimited(text.of(resource.schemaUrl).length);
    resourceSpansSizes.set(resource, resourceSpans);
    total += delimited(resourceSpans);
  }

  const out = new Writer(total);
  for (const [resource, byScope] of grouped) {
    out.open(1, resourceSpansSizes.get(resource) ?? 0);
    out.open(1, resourceSize(resource));
    if (resource.attributes) writeAttributes(out, resource.attributes, 1);
    out.tag(2, 0);
    out.varint(0);
    for (const [scope, group] of byScope) {
      out.open(2, scopeSpansSizes.get(group) ?? 0);
      writeScope(out, scope);
      for (const span of group) writeSpan(out, span, spanSizes.get(span) ?? 0);
      if (scope.schemaUrl) out.string(3, scope.schemaUrl);
    }
    if (resource.schemaUrl) out.string(3, resource.schemaUrl);
  }
  if (out.pos !== total) {
    throw new Error(`OTLP span encoding wrote ${out.pos} bytes, sized ${total}`);
  }
  return out.buffer;
}
