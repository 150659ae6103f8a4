import type * as grpc from "@grpc/grpc-js";
import type { PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { readDescriptorSet } from "@switchyard/contracts/descriptors";

/**
 * Serves gRPC server reflection (v1 and v1alpha) from the contracts' descriptor set, which
 * ts-proto definitions do not carry. Only `serviceNames` are listed, so a server advertises what
 * it actually serves; the types they use resolve from the full set.
 */
export function addReflection(server: grpc.Server, serviceNames: string[]): void {
  const files = fileDescriptorProtos(readDescriptorSet());
  // Not `protoLoader.loadFileDescriptorSetFromBuffer`: its round trip through protobufjs drops
  // each file's `dependency` list (and files that declare no message), so `buf curl` could not
  // link e.g. google.protobuf.Timestamp and failed with "failed to find service". ReflectionService
  // only reads `fileDescriptorProtos`, so the files go in exactly as `buf build` wrote them.
  const packageDefinition = Object.fromEntries(
    files.map((file, index) => [`file${index}`, { fileDescriptorProtos: [file] }]),
  ) as unknown as PackageDefinition;
  new ReflectionService(packageDefinition, { services: serviceNames }).addToServer(server);
}

/** Splits a serialized google.protobuf.FileDescriptorSet into its `file` (field 1) entries. */
export function fileDescriptorProtos(descriptorSet: Uint8Array): Buffer[] {
  const files: Buffer[] = [];
  let offset = 0;
  const readVarint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = descriptorSet[offset++];
      if (byte === undefined || shift > 28) throw new Error("malformed descriptor set");
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (offset < descriptorSet.length) {
    const tag = readVarint();
    if (tag !== 0x0a) throw new Error(`unexpected field tag ${tag} in descriptor set`);
    const length = readVarint();
    if (offset + length > descriptorSet.length) throw new Error("truncated descriptor set");
    files.push(Buffer.from(descriptorSet.subarray(offset, offset + length)));
    offset += length;
  }
  return files;
}
