import type { connectNodeAdapter } from "@connectrpc/connect-node";

// The request/response pair connect-node handles: node:http's or node:http2's compat objects.
type NodeHandler = ReturnType<typeof connectNodeAdapter>;
export type NodeRequest = Parameters<NodeHandler>[0];
export type NodeResponse = Parameters<NodeHandler>[1];
