/** Binary encode/decode of one message type; ts-proto's generated message objects satisfy it. */
export interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}
