import {
  create,
  type DescField,
  type DescMessage,
  type MessageShape,
  ScalarType,
  toBinary,
} from "@bufbuild/protobuf";
import fc from "fast-check";

// Values a hostile or careless client sends. Each arbitrary follows a message descriptor of the
// public API, so requests keep a plausible shape while their values are the edge cases.

/** Strings that break naive code: empty, huge, control and zero-width characters, RTL, emoji, NUL, lone surrogates, SQL, markup. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u200b\u200d\ufeff",
    "\u202e\u202d",
    "👩‍👩‍👧‍👦",
    "\ud800",
    "\udfff",
    "e\u0301",
    "Ⅻ",
    "' or 1=1 --",
    "<script>alert(1)</script>",
    "%00%0a",
    "../../etc/passwd",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "a@b.c",
    "EUR",
    "eur",
    "ZZZ",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.nat({ max: 20_000 }).map((length) => "x".repeat(length)),
  fc.uuid(),
);

/** Integers at and past every boundary a field or a database column has. */
const hostileInteger: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(
    0n,
    -1n,
    1n,
    2n ** 31n - 1n,
    -(2n ** 31n),
    2n ** 53n + 1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    99_999_999_999n,
  ),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);

function clampInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** A JSON value of the wrong kind for whatever field it lands in, including numbers JSON cannot hold exactly. */
export const wrongJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, [], {}, 1e308, -1e308, 1.5, -0, "NaN", "Infinity", "1e999", "0x10"),
  fc.jsonValue({ maxDepth: 3 }),
);

function scalarJson(scalar: ScalarType): fc.Arbitrary<unknown> {
  switch (scalar) {
    case ScalarType.STRING:
      return hostileString;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
      // JSON int64 is a string; clients also send numbers and out-of-range text.
      return fc.oneof(
        hostileInteger.map(String),
        hostileInteger.map(Number),
        fc.constant("18446744073709551616"),
      );
    case ScalarType.BYTES:
      return fc.base64String({ maxLength: 40 });
    default:
      return fc.oneof(hostileInteger.map(clampInt32), fc.constantFrom(2 ** 31, -(2 ** 32), 0.5));
  }
}

function fieldJson(field: DescField, depth: number): fc.Arbitrary<unknown> {
  const single = (): fc.Arbitrary<unknown> => {
    if (field.fieldKind === "scalar") return scalarJson(field.scalar);
    if (field.fieldKind === "enum") {
      return fc.oneof(
        fc.constantFrom(...field.enum.values.map((value) => value.name)),
        fc.integer({ min: -5, max: 50 }),
        hostileString,
      );
    }
    if (field.fieldKind === "message") return messageJson(field.message, depth + 1);
    if (field.fieldKind === "list") {
      const element =
        field.listKind === "scalar"
          ? scalarJson(field.scalar)
          : field.listKind === "message"
            ? messageJson(field.message, depth + 1)
            : fc.integer();
      return fc.array(element, { maxLength: depth === 0 ? 120 : 3 });
    }
    return fc.constant({});
  };
  // One field in ten gets a value of the wrong type.
  return fc.oneof({ weight: 9, arbitrary: single() }, { weight: 1, arbitrary: wrongJson });
}

/** A request in Connect JSON: the message's fields (any subset), hostile values, now and then unknown keys. */
export function messageJson(message: DescMessage, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 3 || message.typeName.startsWith("google.protobuf.")) return fc.constant({});
  const fields = Object.fromEntries(
    message.fields.map((field) => [field.jsonName, fieldJson(field, depth)]),
  );
  return fc.record(fields, { requiredKeys: [] }).chain((value) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(value) },
      {
        weight: 1,
        arbitrary: fc.dictionary(hostileString, wrongJson, { maxKeys: 3 }).map((extra) => ({
          ...value,
          ...extra,
        })),
      },
    ),
  );
}

function scalarValue(scalar: ScalarType): fc.Arbitrary<unknown> {
  switch (scalar) {
    case ScalarType.STRING:
      return hostileString;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.INT64:
    case ScalarType.SINT64:
      return hostileInteger;
    case ScalarType.UINT64:
      return hostileInteger.map((value) => BigInt.asUintN(64, value));
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 40 });
    default:
      return hostileInteger.map(clampInt32);
  }
}

function messageInit(message: DescMessage, depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (depth > 3 || message.typeName.startsWith("google.protobuf.")) return fc.constant({});
  const fields = Object.fromEntries(
    message.fields.map((field): [string, fc.Arbitrary<unknown>] => {
      if (field.fieldKind === "scalar") return [field.localName, scalarValue(field.scalar)];
      if (field.fieldKind === "enum") return [field.localName, fc.integer({ min: -3, max: 20 })];
      if (field.fieldKind === "message") {
        return [field.localName, messageInit(field.message, depth + 1)];
      }
      if (field.fieldKind === "list" && field.listKind === "message") {
        return [field.localName, fc.array(messageInit(field.message, depth + 1), { maxLength: 5 })];
      }
      if (field.fieldKind === "list" && field.listKind === "scalar") {
        return [field.localName, fc.array(scalarValue(field.scalar), { maxLength: 5 })];
      }
      return [field.localName, fc.constant(undefined)];
    }),
  );
  return fc.record(fields, { requiredKeys: [] });
}

/** A well-formed protobuf encoding of the message with hostile values (strings, boundary integers, unknown enum numbers). */
export function messageBinary(message: DescMessage): fc.Arbitrary<Uint8Array> {
  return messageInit(message, 0).map((init) =>
    toBinary(message, create(message, init as never) as MessageShape<DescMessage>),
  );
}

/** JSON text nested `depth` levels deep, as an array or an object chain. */
export const deeplyNested: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `${"[".repeat(depth)}${"]".repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** A prefix of `text` or `bytes`: a body cut off mid-value. */
export function truncated<T extends string | Uint8Array>(value: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return value
    .filter((whole) => whole.length > 1)
    .chain((whole) =>
      fc.integer({ min: 1, max: whole.length - 1 }).map((cut) => whole.slice(0, cut) as T),
    );
}
