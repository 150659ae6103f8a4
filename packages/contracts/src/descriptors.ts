import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Path of the FileDescriptorSet built by `buf build` from every contract (incl. imports). */
export const descriptorSetPath = fileURLToPath(new URL("../descriptors.binpb", import.meta.url));

/** The FileDescriptorSet bytes, fed to gRPC server reflection. */
export function readDescriptorSet(): Buffer {
  return readFileSync(descriptorSetPath);
}
