import * as grpc from "@grpc/grpc-js";
import {
  OrderServiceService,
  OrderStatus,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import {
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";

/** What one call to the recording backend carried. */
export interface RecordedCall {
  method: string;
  metadata: Record<string, string>;
  /** The deadline the caller gave, as ms from when the call arrived (Infinity if none). */
  deadlineInMs: number;
}

export interface RecordingBackend {
  /** gRPC target serving both switchyard.user.v1.UserService and switchyard.order.v1.OrderService. */
  target: string;
  calls: RecordedCall[];
  /** GetUser answers after this many ms. */
  getUserDelayMs: number;
  /** Calls that were cancelled by the caller before they were answered. */
  cancelled: number;
  stop(): void;
}

/**
 * A REAL grpc-js server implementing GetUser and PlaceOrder of the internal services that
 * records the metadata and deadline of every call and can be made slow: for what the real
 * services cannot show (a slow path, exactly what reached them). Other methods: UNIMPLEMENTED.
 */
export async function startRecordingBackend(): Promise<RecordingBackend> {
  const server = new grpc.Server();
  const backend: RecordingBackend = {
    target: "",
    calls: [],
    getUserDelayMs: 0,
    cancelled: 0,
    stop: () => server.forceShutdown(),
  };
  const record = (method: string, call: grpc.ServerUnaryCall<unknown, unknown>) => {
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
    backend.calls.push({
      method,
      metadata: Object.fromEntries(
        Object.entries(call.metadata.getMap()).map(([key, value]) => [key, String(value)]),
      ),
      deadlineInMs: Number.isFinite(deadlineMs)
        ? deadlineMs - Date.now()
        : Number.POSITIVE_INFINITY,
    });
  };
  const timestamp = { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 };
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not in the recording backend" });

  server.addService(UserServiceService, {
    getUser(
      call: grpc.ServerUnaryCall<{ userId: string }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      record("GetUser", call);
      let answered = false;
      call.on("cancelled", () => {
        if (!answered) backend.cancelled += 1;
      });
      setTimeout(() => {
        answered = true;
        callback(null, {
          user: {
            userId: call.request.userId,
            email: "slow@example.com",
            givenName: "Slow",
            familyName: "Poke",
            status: UserStatus.USER_STATUS_ACTIVE,
            version: 1n,
            createTime: timestamp,
            updateTime: timestamp,
          },
        });
      }, backend.getUserDelayMs);
    },
    registerUser: unimplemented,
    updateUser: unimplemented,
    listUsers: unimplemented,
    suspendUser: unimplemented,
  });
  server.addService(OrderServiceService, {
    placeOrder(
      call: grpc.ServerUnaryCall<{ customerId: string; currencyCode: string }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      record("PlaceOrder", call);
      callback(null, {
        order: {
          orderId: "11111111-1111-4111-8111-111111111111",
          customerId: call.request.customerId,
          status: OrderStatus.ORDER_STATUS_PENDING,
          currencyCode: call.request.currencyCode,
          lines: [],
          totalMinor: 0n,
          cancelReason: "",
          version: 1n,
          createTime: timestamp,
          updateTime: timestamp,
        },
      });
    },
    getOrder: unimplemented,
    listOrders: unimplemented,
    confirmOrder: unimplemented,
    shipOrder: unimplemented,
    cancelOrder: unimplemented,
    getCustomerOrderSummary: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  backend.target = `127.0.0.1:${port}`;
  return backend;
}
